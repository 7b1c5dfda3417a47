/**
 * Keeps the service running: {@link dev.bgservice.supervision.Supervisor} acts on the persisted
 * intent (starting the service when its host starts, restarting it after a failure) according
 * to a {@link dev.bgservice.supervision.RestartPolicy}, and reports what it is doing as a
 * {@link dev.bgservice.supervision.SupervisorStatus}.
 */
package dev.bgservice.supervision;
