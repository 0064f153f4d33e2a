package io.paybridge.billing.mandate;

import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.ListQuery;
import io.paybridge.billing.projection.Page;
import io.paybridge.billing.projection.Projections;
import io.paybridge.billing.projection.Views;
import io.paybridge.platform.gocardless.GoCardless;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/** A team's mandates: reads from the projection, cancel and reinstate at GoCardless. */
@Service
public class MandateService {

  private final GoCardless gocardless;
  private final Projections projections;
  private final Views views;

  MandateService(GoCardless gocardless, Projections projections, Views views) {
    this.gocardless = gocardless;
    this.projections = projections;
    this.views = views;
  }

  public ObjectNode get(String team, String id) {
    return projections.view(Kind.MANDATE, id, team);
  }

  public Page list(String team, ListQuery query) {
    return projections.list(Kind.MANDATE, team, query);
  }

  public ObjectNode cancel(String team, String id) {
    var current = projections.owned(Kind.MANDATE, id, team);
    var answer = gocardless.once(current.merchantId(), c -> c.mandates().cancel(id).execute());
    return projections.refresh(
        current, views.mandate(answer, current.merchantId(), team, current.organisationId()));
  }

  public ObjectNode reinstate(String team, String id) {
    var current = projections.owned(Kind.MANDATE, id, team);
    var answer = gocardless.once(current.merchantId(), c -> c.mandates().reinstate(id).execute());
    return projections.refresh(
        current, views.mandate(answer, current.merchantId(), team, current.organisationId()));
  }
}
