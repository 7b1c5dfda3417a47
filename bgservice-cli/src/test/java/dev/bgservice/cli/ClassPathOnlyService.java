package dev.bgservice.cli;

import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;

/**
 * A service class that only the test class path has, not the bgs jar: an install that names it
 * without {@code --classpath} must fail the probe, since the installed host would not find it.
 */
public final class ClassPathOnlyService implements BackgroundService {
  /** For the generic host. */
  public ClassPathOnlyService() {}

  /** Never runs: the tests only install (or fail to install) it. */
  @Override
  public void run(ServiceContext context) {}
}
