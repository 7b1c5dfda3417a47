/**
 * The sidecar's IPC server: {@link dev.bgservice.ipc.server.IpcServer} serves a {@link
 * dev.bgservice.client.ServiceClient} to local clients over a Unix domain socket, speaking the wire
 * protocol of {@code docs/protocol.md} with the {@link dev.bgservice.ipc.codec codec}.
 */
package dev.bgservice.ipc.server;
