package io.paybridge.simulator.internal;

import io.paybridge.simulator.billing.BankAuthorisation;
import io.paybridge.simulator.billing.BillingRequest;
import io.paybridge.simulator.billing.BillingRequestFlow;
import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.Customer;
import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.customers.CustomerBillingDetail;
import io.paybridge.simulator.customers.HolderVerification;
import io.paybridge.simulator.events.Event;
import io.paybridge.simulator.instalments.InstalmentSchedule;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.payments.Payment;
import io.paybridge.simulator.payments.Payout;
import io.paybridge.simulator.refunds.Refund;
import io.paybridge.simulator.subscriptions.Subscription;
import io.paybridge.simulator.webhooks.Webhook;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * All simulator state, in memory. Every read and write of resources happens while holding {@link
 * #lock}: the simulator serialises API calls, which keeps the state machines simple and is far
 * faster than any test needs.
 */
public final class State {
  public final ReentrantLock lock = new ReentrantLock();
  public final Ids ids;
  private final Supplier<Instant> now;

  public final Map<String, Organisation> organisations = new LinkedHashMap<>();
  public final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
  public final Registry<Creditor> creditors = new Registry<>();
  public final Registry<Customer> customers = new Registry<>();
  public final Registry<CustomerBillingDetail> billingDetails = new Registry<>();
  public final Registry<CustomerBankAccount> bankAccounts = new Registry<>();
  public final Registry<HolderVerification> holderVerifications = new Registry<>();
  public final Registry<BillingRequest> billingRequests = new Registry<>();
  public final Registry<BillingRequestFlow> flows = new Registry<>();
  public final Registry<BankAuthorisation> bankAuthorisations = new Registry<>();
  public final Registry<Mandate> mandates = new Registry<>();
  public final Registry<Payment> payments = new Registry<>();
  public final Registry<Payout> payouts = new Registry<>();
  public final Registry<Subscription> subscriptions = new Registry<>();
  public final Registry<Refund> refunds = new Registry<>();
  public final Registry<InstalmentSchedule> instalmentSchedules = new Registry<>();
  public final Registry<Event> events = new Registry<>();
  public final Registry<Webhook> webhooks = new Registry<>();

  /**
   * Idempotency keys: (organisation, path, key) → the created resource and the request body it came
   * from.
   */
  public final Map<String, IdempotentCreate> idempotency = new LinkedHashMap<>();

  /** A remembered idempotent create. */
  public record IdempotentCreate(String resourceId, String bodyFingerprint) {}

  private volatile Consumer<Event> eventSink = e -> {};

  public State(Ids ids, Supplier<Instant> now) {
    this.ids = ids;
    this.now = now;
  }

  public Instant now() {
    return now.get();
  }

  public String nowIso() {
    return Times.iso(now.get());
  }

  /** Simulated date; while a tick replays past days, the day being replayed. */
  public LocalDate today() {
    LocalDate replaying = replayDate;
    return replaying != null ? replaying : LocalDate.ofInstant(now.get(), ZoneOffset.UTC);
  }

  private LocalDate replayDate;

  /**
   * Makes {@link #today()} answer {@code date} until cleared with null (ticks replay skipped days
   * in order).
   */
  public void replayDate(LocalDate date) {
    this.replayDate = date;
  }

  /** Who made the API call being handled (an event's {@code source}); null outside API calls. */
  private Map<String, String> caller;

  /**
   * Runs an API call's handler with its caller known, so that the events it causes with origin
   * {@code api} carry {@code source} (docs/gocardless/API.md §5.2). Call with the lock held.
   */
  public <T> T asCaller(Map<String, String> source, Supplier<T> action) {
    caller = source;
    try {
      return action.get();
    } finally {
      caller = null;
    }
  }

  public void eventSink(Consumer<Event> sink) {
    this.eventSink = sink;
  }

  public Organisation organisation(String id) {
    return organisations.get(id);
  }

  public Creditor creditorOf(String organisationId) {
    return creditors.get(organisations.get(organisationId).creditorId);
  }

  public <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  public void locked(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** Starts an event about a resource of {@code organisationId}. */
  public EventBuilder event(String organisationId, String resourceType, String action) {
    return new EventBuilder(organisationId, resourceType, action);
  }

  /**
   * Fluent construction of an event; {@link #emit()} stores it and hands it to the webhook sender.
   */
  public final class EventBuilder {
    private final Event event = new Event();
    private boolean stored = true;

    private EventBuilder(String organisationId, String resourceType, String action) {
      event.organisationId = organisationId;
      event.resourceType = resourceType;
      event.action = action;
    }

    public EventBuilder link(String name, String id) {
      if (id != null) {
        event.links.put(name, id);
      }
      return this;
    }

    /** The event that caused this one ({@code links.parent_event}, docs/gocardless/API.md §5.2). */
    public EventBuilder parent(Event parent) {
      return link("parent_event", parent == null ? null : parent.id);
    }

    public EventBuilder origin(String origin) {
      event.details.put("origin", origin);
      return this;
    }

    public EventBuilder cause(String cause) {
      event.details.put("cause", cause);
      return this;
    }

    public EventBuilder description(String description) {
      event.details.put("description", description);
      return this;
    }

    public EventBuilder detail(String name, Object value) {
      if (value != null) {
        event.details.put(name, value);
      }
      return this;
    }

    public EventBuilder metadata(Map<String, String> metadata) {
      if (metadata != null) {
        event.metadata = new LinkedHashMap<>(metadata);
      }
      return this;
    }

    public EventBuilder resourceMetadata(Map<String, String> metadata) {
      if (metadata != null) {
        event.resourceMetadata = new LinkedHashMap<>(metadata);
      }
      return this;
    }

    /**
     * Webhook-only event without an id (organisations/disconnected, docs/gocardless/API.md §2.5).
     */
    public EventBuilder withoutId() {
      stored = false;
      return this;
    }

    public Event emit() {
      event.id = stored ? ids.next("EV") : null;
      event.createdAt = nowIso();
      event.links.put("organisation", event.organisationId);
      if (caller != null && "api".equals(event.details.get("origin"))) {
        event.source = new LinkedHashMap<>(caller);
      }
      if (stored) {
        events.add(event);
      }
      eventSink.accept(event);
      return event;
    }
  }
}
