package io.paybridge.billing.projection;

/** The GoCardless resources the service projects, with their table and GoCardless names. */
public enum Kind {
  BILLING_REQUEST("billing_request", "billing_requests", "billing request"),
  MANDATE("mandate", "mandates", "mandate"),
  PAYMENT("payment", "payments", "payment"),
  REFUND("refund", "refunds", "refund"),
  SUBSCRIPTION("subscription", "subscriptions", "subscription"),
  INSTALMENT_SCHEDULE("instalment_schedule", "instalment_schedules", "instalment schedule");

  final String table;
  final String resourceType;
  final String label;

  Kind(String table, String resourceType, String label) {
    this.table = table;
    this.resourceType = resourceType;
    this.label = label;
  }

  public String label() {
    return label;
  }

  public String resourceType() {
    return resourceType;
  }
}
