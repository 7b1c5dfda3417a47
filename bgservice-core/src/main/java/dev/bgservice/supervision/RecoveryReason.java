package dev.bgservice.supervision;

/**
 * The values of {@code recoveryReason} (PROTOCOL.md A.6) that the {@link Supervisor} records:
 * why the service is, or last was, started without an explicit request.
 */
public final class RecoveryReason {
  /** The host (sidecar or app) started and found the intent to run. */
  public static final String BOOT_RECOVERY = "bootRecovery";
  /** {@code init} or {@code run} failed and a restart was scheduled. */
  public static final String SERVICE_FAILED = "serviceFailed";
  /** The host shut down in an orderly way while the service was wanted running. */
  public static final String APP_STOP = "appStop";

  private RecoveryReason() {}
}
