package dev.bgservice.status;

import dev.bgservice.platform.OperatingSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Works out what the platform can promise about keeping the service alive, from what is true
 * on this machine now: the lifecycle mode, whether a service manager is there (and on Linux
 * whether the user's systemd instance answers), whether the sidecar is installed and enabled
 * as an OS service, and on Linux whether the user has lingering on.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>In-process, the service lives and dies with the app: it survives neither closing the
 *       app, nor a force quit, nor a reboot. It runs in the background as long as the app does
 *       (best effort on macOS, where App Nap may slow a hidden app down).
 *   <li>As an OS service that is installed, with a usable service manager: it survives closing
 *       and force-quitting the app (the manager restarts it after a crash). After a reboot it
 *       comes back when it is enabled: guaranteed with Windows, and with systemd when lingering
 *       is on; best effort without lingering or when it cannot be told (it starts at the next
 *       login) and with launchd (a user agent starts at login); not at all when it is not
 *       enabled or when that cannot be told.
 *   <li>Otherwise the sidecar runs detached: it survives closing the app, a force quit only as
 *       best effort (nothing restarts it, and a session may end it at logout), and not a
 *       reboot.
 * </ul>
 *
 * <p>Everything that weakened a promise is named in {@code limitations}, and what the user can
 * do about it in {@code requiredSetup}. Each call of {@link #probe()} asks the system again.
 */
public final class CapabilitiesProbe {

  private final LifecycleMode mode;
  private final SystemFacts facts;
  private final String user;
  private final Optional<ServiceInstallationProbe> installation;

  private CapabilitiesProbe(Builder b) {
    this.mode = b.mode;
    this.facts = b.facts;
    this.user = b.user;
    this.installation = b.installation;
  }

  /** A builder for the capabilities of a service run in {@code mode}. */
  public static Builder builder(LifecycleMode mode) {
    return new Builder(mode);
  }

  /** Asks the system and works out the capabilities. */
  public PlatformCapabilities probe() {
    OperatingSystem os = facts.os();
    return mode == LifecycleMode.DESKTOP_IN_PROCESS ? inProcess(os) : osService(os);
  }

  private PlatformCapabilities inProcess(OperatingSystem os) {
    List<String> limitations = new ArrayList<>();
    limitations.add("The service runs inside the app's JVM: it stops when the app exits or is "
        + "killed and does not come back after a reboot; use the OS-service mode to keep it "
        + "running without the app.");
    Support background = Support.GUARANTEED;
    if (os == OperatingSystem.MACOS) {
      background = Support.BEST_EFFORT;
      limitations.add("macOS may slow down an app that is hidden or in the background "
          + "(App Nap), and the service with it.");
    }
    return new PlatformCapabilities(os.wireName(), mode, Support.UNSUPPORTED,
        Support.UNSUPPORTED, Support.UNSUPPORTED, background, limitations, List.of());
  }

  private PlatformCapabilities osService(OperatingSystem os) {
    List<String> limitations = new ArrayList<>();
    List<String> requiredSetup = new ArrayList<>();
    Observation manager = facts.serviceManagerPresent();
    boolean managerUsable = manager.isYes();
    if (!managerUsable) {
      limitations.add("No service manager is available (" + manager.detail()
          + "), so the sidecar cannot run as an OS service.");
    } else if (os == OperatingSystem.LINUX) {
      Observation userManager = facts.userServiceManagerRunning();
      if (userManager.isNo()) {
        managerUsable = false;
        limitations.add("The systemd user instance is not usable (" + userManager.detail()
            + "), so the sidecar cannot run as a user service.");
        requiredSetup.add("Log in through a session that starts `systemd --user`, or run "
            + "`loginctl enable-linger " + user + "` so it runs from boot.");
      } else if (userManager.isUnknown()) {
        limitations.add("Could not tell whether the systemd user instance runs ("
            + userManager.detail() + ").");
      }
    }

    Optional<Boolean> installed = Optional.empty();
    Optional<Boolean> enabled = Optional.empty();
    if (managerUsable) {
      installed = ask(() -> installation.flatMap(ServiceInstallationProbe::installed));
      if (installed.isEmpty()) {
        limitations.add("Could not tell whether the sidecar is installed as an OS service, so "
            + "this assumes it is not.");
      } else if (!installed.get()) {
        requiredSetup.add("Install the sidecar as an OS service (`bgs install --autostart`) so "
            + "it is restarted after a crash and comes back after a reboot.");
      } else {
        enabled = ask(() -> installation.flatMap(ServiceInstallationProbe::enabled));
      }
    }

    if (!managerUsable || !installed.orElse(false)) {
      limitations.add("The sidecar runs detached: it keeps running after the app closes, but "
          + "nothing restarts it if it dies, the session may end it at logout, and it does not "
          + "come back after a reboot.");
      return new PlatformCapabilities(os.wireName(), mode, Support.GUARANTEED,
          Support.UNSUPPORTED, Support.BEST_EFFORT, Support.GUARANTEED, limitations,
          requiredSetup);
    }

    Support reboot = survivesReboot(os, enabled, limitations, requiredSetup);
    return new PlatformCapabilities(os.wireName(), mode, Support.GUARANTEED, reboot,
        Support.GUARANTEED, Support.GUARANTEED, limitations, requiredSetup);
  }

  private Support survivesReboot(
      OperatingSystem os, Optional<Boolean> enabled, List<String> limitations,
      List<String> requiredSetup) {
    if (enabled.isEmpty()) {
      limitations.add("Could not tell whether the OS service is enabled, so this does not "
          + "promise that it comes back after a reboot.");
      return Support.UNSUPPORTED;
    }
    if (!enabled.get()) {
      requiredSetup.add("Enable the OS service (`bgs install --autostart`) so it comes back "
          + "after a reboot.");
      return Support.UNSUPPORTED;
    }
    switch (os) {
      case LINUX: {
        Observation lingering = facts.lingering(user);
        if (lingering.isYes()) {
          return Support.GUARANTEED;
        }
        if (lingering.isNo()) {
          limitations.add("Lingering is off for " + user + ": after a reboot the service starts "
              + "only when " + user + " logs in, and it stops at logout.");
        } else {
          limitations.add("Could not tell whether lingering is on for " + user + " ("
              + lingering.detail() + "); without it the service starts only at login.");
        }
        requiredSetup.add("Run `loginctl enable-linger " + user + "` so the service starts at "
            + "boot without a login.");
        return Support.BEST_EFFORT;
      }
      case MACOS:
        limitations.add("A launchd user agent starts when " + user + " logs in, not at boot.");
        return Support.BEST_EFFORT;
      case WINDOWS:
        return Support.GUARANTEED;
      default:
        return Support.BEST_EFFORT;
    }
  }

  private static Optional<Boolean> ask(Supplier<Optional<Boolean>> probe) {
    try {
      Optional<Boolean> answer = probe.get();
      return answer == null ? Optional.empty() : answer;
    } catch (RuntimeException e) {
      // Another module's probe failing means "could not tell", which the caller reports.
      return Optional.empty();
    }
  }

  /** Collects the inputs of a {@link CapabilitiesProbe}. */
  public static final class Builder {
    private final LifecycleMode mode;
    private SystemFacts facts = SystemFacts.current();
    private String user = System.getProperty("user.name", "");
    private Optional<ServiceInstallationProbe> installation = Optional.empty();

    private Builder(LifecycleMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Where the system facts come from; default {@link SystemFacts#current()}. */
    public Builder facts(SystemFacts facts) {
      this.facts = Objects.requireNonNull(facts, "facts");
      return this;
    }

    /** The user who runs the service; default this process's user ({@code user.name}). */
    public Builder user(String user) {
      Objects.requireNonNull(user, "user");
      if (user.isBlank()) {
        throw new IllegalArgumentException("user must not be blank");
      }
      this.user = user;
      return this;
    }

    /**
     * How to ask whether the sidecar is installed and enabled as an OS service; without it
     * that is unknown and the sidecar is taken to run detached.
     */
    public Builder installation(ServiceInstallationProbe probe) {
      this.installation = Optional.of(Objects.requireNonNull(probe, "probe"));
      return this;
    }

    /** The probe. */
    public CapabilitiesProbe build() {
      return new CapabilitiesProbe(this);
    }
  }
}
