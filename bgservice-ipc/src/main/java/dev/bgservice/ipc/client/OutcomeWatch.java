package dev.bgservice.ipc.client;

import dev.bgservice.client.ServiceEvent;
import dev.bgservice.error.InitFailedException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Waits, on a base-protocol connection, for the event that ends a call the base protocol answers
 * early: a {@code start} that should wait for {@code init}, or a {@code stop} that should wait for
 * the run to return. (Version 2 sidecars do this themselves, with {@code wait} and {@code
 * timeoutMs}.) A watch is registered before its request is sent, because the event may arrive
 * before the response.
 */
final class OutcomeWatch {

  /** What the watch waits for. */
  enum Kind {
    /** {@code started} succeeds; {@code error} or {@code stopped} fail with {@code init_failed}. */
    INIT,
    /** {@code stopped} or {@code error}: the run has returned either way. */
    RUN_RETURNED
  }

  private final Kind kind;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  OutcomeWatch(Kind kind) {
    this.kind = kind;
  }

  /** Completes when the awaited event arrived, or fails. */
  CompletableFuture<Void> done() {
    return done;
  }

  /**
   * What {@code event} does to this watch: empty when it is not the awaited event, else the
   * completion to run, outside any lock, since it runs the waiting call's continuations.
   */
  Optional<Runnable> settlement(ServiceEvent event) {
    switch (kind) {
      case INIT:
        if (event instanceof ServiceEvent.Started) {
          return Optional.of(() -> done.complete(null));
        } else if (event instanceof ServiceEvent.Failed f) {
          return Optional.of(
              () -> done.completeExceptionally(new InitFailedException(f.message(), null)));
        } else if (event instanceof ServiceEvent.Stopped s) {
          return Optional.of(
              () ->
                  done.completeExceptionally(
                      new InitFailedException(
                          "The service stopped (" + s.reason() + ") before its init finished.",
                          null)));
        }
        return Optional.empty();
      case RUN_RETURNED:
        if (event instanceof ServiceEvent.Stopped || event instanceof ServiceEvent.Failed) {
          return Optional.of(() -> done.complete(null));
        }
        return Optional.empty();
      default:
        throw new AssertionError(kind);
    }
  }
}
