/**
 * The Service port moved to firmware/ports/service.ts (services import the port, the daemon
 * starts them). TODO(#19): delete this once ota/agent/ imports the port (pi branch).
 */
export type { HealthCheck, Service } from '../ports/service.ts';
