package io.paybridge.platform.operations;

import io.paybridge.platform.web.CommonProblem;
import io.paybridge.platform.web.ProblemType;

/** The problems of the operator endpoints every service shares (docs/problems.md). */
public enum OperationsProblem implements ProblemType {
  INVALID_REQUEST(CommonProblem.INVALID_REQUEST.definition()),
  DEAD_LETTER_NOT_FOUND(Definition.of(404, "dead-letter-not-found", "No such dead letter")),
  KAFKA_UNAVAILABLE(
      Definition.of(503, "kafka-unavailable", "Kafka cannot be reached now; try again")),
  INTERNAL(CommonProblem.INTERNAL.definition());

  private final Definition definition;

  OperationsProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }
}
