/**
 * Where a sidecar's socket lives: label rules, the private per-user socket directory, the
 * platform's path length limit and the lock file beside the socket. See {@link
 * dev.bgservice.ipc.endpoint.EndpointResolver}.
 */
package dev.bgservice.ipc.endpoint;
