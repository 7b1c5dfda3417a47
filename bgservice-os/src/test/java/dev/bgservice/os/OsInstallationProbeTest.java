package dev.bgservice.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsInstallationProbeTest {
  @TempDir Path tmp;

  @Test
  void aServiceNobodyInstalledIsReportedNotInstalledAndNotEnabled() {
    OsServices services =
        OsServices.builder().manager(ServiceManager.DETACHED).detachedDirectory(tmp).build();
    OsInstallationProbe probe = new OsInstallationProbe(services, ServiceTarget.user("nobody-installed-this"));

    assertThat(probe.installed()).contains(false);
    assertThat(probe.enabled()).contains(false);
  }
}
