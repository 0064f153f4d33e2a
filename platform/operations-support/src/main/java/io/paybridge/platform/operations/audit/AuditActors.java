package io.paybridge.platform.operations.audit;

/** Who is acting now, as an audit entry names them. */
@FunctionalInterface
public interface AuditActors {

  /** The actor of an action taken where no caller is known (a scheduled job, a Kafka listener). */
  String SYSTEM = "system";

  /**
   * The current actor: {@code team:<team>}, {@code client:<client id>}, {@code subject:<sub>} or
   * {@link #SYSTEM}.
   */
  String current();
}
