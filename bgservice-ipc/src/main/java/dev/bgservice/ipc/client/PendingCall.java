package dev.bgservice.ipc.client;

import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One request of the client that waits for its response. The future completes exactly once: with
 * the matching response, or exceptionally when the deadline passes, the connection drops or the
 * client closes.
 */
final class PendingCall {
  private final Request request;
  private final CompletableFuture<Response> response = new CompletableFuture<>();

  /** The connection the request went out on; null while it waits for one. */
  private volatile Connection sentOn;

  PendingCall(Request request) {
    this.request = Objects.requireNonNull(request, "request");
  }

  /** The request as built, without an id. */
  Request request() {
    return request;
  }

  /** The request's wire type, for messages. */
  String type() {
    return request.type();
  }

  /** Completes with the response, or fails; see the class comment. */
  CompletableFuture<Response> response() {
    return response;
  }

  /** The connection the request was sent on, if it was. */
  Connection sentOn() {
    return sentOn;
  }

  void sentOn(Connection connection) {
    this.sentOn = connection;
  }
}
