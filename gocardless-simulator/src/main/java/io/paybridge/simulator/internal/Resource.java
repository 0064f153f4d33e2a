package io.paybridge.simulator.internal;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A stored API resource owned by one organisation. Public fields are the wire fields (snake_case on
 * the wire).
 */
public abstract class Resource {
  public String id;
  public String createdAt;

  /** The organisation (merchant account) the resource belongs to; never on the wire. */
  @JsonIgnore public String organisationId;
}
