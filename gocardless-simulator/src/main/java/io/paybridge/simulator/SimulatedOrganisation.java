package io.paybridge.simulator;

/**
 * An organisation created at run time with {@link GoCardlessSimulator#createOrganisation},
 * connected to the partner app.
 *
 * @param organisationId {@code OR...}
 * @param creditorId {@code CR...}, its single creditor
 * @param accessToken an app (OAuth) access token for it
 */
public record SimulatedOrganisation(String organisationId, String creditorId, String accessToken) {}
