package dev.bgservice.ipc.server;

import dev.bgservice.error.BgServiceException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A sidecar stand-in for tests that need a second process: {@code ServerMain <socket> <dataDir>}.
 * Prints {@code READY}, waits for a line on stdin, tries to start a server and prints {@code
 * SERVING <instance>} or {@code REFUSED <code> <message>}; when serving, closes on the next line
 * (or end of input) and prints {@code CLOSED}.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (TestEngine engine = new TestEngine(Path.of(args[1]))) {
      IpcServer server = IpcServer.builder(Path.of(args[0]), engine.client).build();
      System.out.println("READY");
      System.out.flush();
      in.readLine();
      try {
        server.start();
      } catch (BgServiceException e) {
        System.out.println("REFUSED " + e.code() + " " + e.getMessage());
        System.out.flush();
        return;
      }
      System.out.println("SERVING " + server.instanceId());
      System.out.flush();
      in.readLine();
      server.close();
      System.out.println("CLOSED");
      System.out.flush();
    }
  }
}
