/**
 * The persistent IPC client: {@link dev.bgservice.ipc.client.PersistentIpcClient}, the app's
 * {@link dev.bgservice.client.ServiceClient} of a service that runs in a sidecar, over one
 * long-lived Unix-socket connection that survives the sidecar being restarted or killed. {@link
 * dev.bgservice.ipc.client.ReconnectPolicy} says when it reconnects and gives up; {@link
 * dev.bgservice.ipc.client.Scheduler} lets tests drive its timing. The wire format is in {@code
 * docs/protocol.md}.
 */
package dev.bgservice.ipc.client;
