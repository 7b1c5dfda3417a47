/**
 * The user's persisted intent: {@link dev.bgservice.state.DesiredStateStore} keeps one {@link
 * dev.bgservice.status.DesiredState} per service label in a small JSON file that survives
 * crashes, concurrent writers in other processes and corrupt contents, and {@link
 * dev.bgservice.state.Heartbeat} records that a running service is alive.
 */
package dev.bgservice.state;
