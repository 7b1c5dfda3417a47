package dev.bgservice.lifecycle;

import java.util.concurrent.CompletableFuture;

/**
 * The caller's view of one run, returned by {@link LifecycleManager#start}.
 *
 * <p>The futures are copies: completing or cancelling them does not affect the run.
 */
public final class RunHandle {
  private final long generation;
  private final CompletableFuture<Void> initialized;
  private final CompletableFuture<LifecycleEvent.Terminal> terminated;

  RunHandle(
      long generation,
      CompletableFuture<Void> initialized,
      CompletableFuture<LifecycleEvent.Terminal> terminated) {
    this.generation = generation;
    this.initialized = initialized;
    this.terminated = terminated;
  }

  /** The generation of this run. */
  public long generation() {
    return generation;
  }

  /**
   * Completes when {@code init} succeeded, or exceptionally with {@link
   * dev.bgservice.error.InitFailedException} when it failed or the run was stopped first.
   */
  public CompletableFuture<Void> initialized() {
    return initialized.copy();
  }

  /** Completes with the run's terminal event when the run has ended. Never exceptionally. */
  public CompletableFuture<LifecycleEvent.Terminal> terminated() {
    return terminated.copy();
  }
}
