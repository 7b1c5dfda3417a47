package dev.bgservice.sidecar;

import dev.bgservice.service.BackgroundService;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** Loads a user's {@link BackgroundService} class for the generic host ({@code bgs serve}). */
public final class ServiceClasses {

  private ServiceClasses() {}

  /**
   * A factory creating a new instance of {@code className} for every start, loaded from {@code
   * classpath} (entries separated by the platform's path separator) or, when it is empty, from
   * this JVM's class path. Everything is checked now, so a mistake is reported before the
   * sidecar binds its socket.
   *
   * @throws IllegalArgumentException naming what is wrong: a missing class path entry, an
   *     unknown class, a class that is not a BackgroundService, no public no-argument constructor
   */
  public static Supplier<BackgroundService> factory(String className, String classpath) {
    Objects.requireNonNull(className, "className");
    ClassLoader loader =
        classpath == null || classpath.isBlank()
            ? ServiceClasses.class.getClassLoader()
            : new URLClassLoader(urls(classpath), ServiceClasses.class.getClassLoader());
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "cannot load service class " + className
              + (classpath == null || classpath.isBlank() ? "" : " from " + classpath)
              + ": " + e.getMessage(), e);
    }
    if (!BackgroundService.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          className + " does not implement " + BackgroundService.class.getName());
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalArgumentException(className + " is abstract; name a concrete class");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          className + " needs a public constructor without arguments", e);
    }
    return () -> {
      try {
        return (BackgroundService) constructor.newInstance();
      } catch (InvocationTargetException e) {
        throw new IllegalStateException(
            "the constructor of " + className + " threw: " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + className + ": " + e, e);
      }
    };
  }

  private static URL[] urls(String classpath) {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry).toAbsolutePath();
      if (!Files.exists(path)) {
        throw new IllegalArgumentException("class path entry " + path + " does not exist");
      }
      try {
        urls.add(path.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("bad class path entry " + entry + ": " + e, e);
      }
    }
    return urls.toArray(URL[]::new);
  }
}
