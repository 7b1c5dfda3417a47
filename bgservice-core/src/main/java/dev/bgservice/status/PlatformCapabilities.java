package dev.bgservice.status;

import java.util.List;
import java.util.Objects;

/**
 * What the platform, with the current setup, can promise about keeping the service alive.
 *
 * @param platform {@code linux}, {@code macos}, {@code windows} or another name
 * @param lifecycleMode in-process or as an OS service
 * @param survivesAppClose whether the service keeps running when the app exits
 * @param survivesReboot whether the service comes back after a reboot
 * @param survivesForceQuit whether the service survives the app being killed
 * @param backgroundExecution whether the service may run while the app is not in front
 * @param limitations known limitations, for a person
 * @param requiredSetup steps still needed for the stronger guarantees, for a person
 */
public record PlatformCapabilities(
    String platform,
    LifecycleMode lifecycleMode,
    Support survivesAppClose,
    Support survivesReboot,
    Support survivesForceQuit,
    Support backgroundExecution,
    List<String> limitations,
    List<String> requiredSetup) {

  /** Checks that no component is null and copies the lists. */
  public PlatformCapabilities {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(lifecycleMode, "lifecycleMode");
    Objects.requireNonNull(survivesAppClose, "survivesAppClose");
    Objects.requireNonNull(survivesReboot, "survivesReboot");
    Objects.requireNonNull(survivesForceQuit, "survivesForceQuit");
    Objects.requireNonNull(backgroundExecution, "backgroundExecution");
    limitations = List.copyOf(limitations);
    requiredSetup = List.copyOf(requiredSetup);
  }
}
