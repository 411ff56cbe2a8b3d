/**
 * The service's HTTP endpoint for facility IT: `GET /metrics` (Prometheus text format) and
 * `GET /healthz` (200 when the service is connected to its broker). Listens where configured
 * (default loopback only); everything else is 404.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

export function startMetricsServer(o: {
  host: string;
  port: number;
  metrics: () => Promise<string>;
  contentType: string;
  healthy: () => boolean;
}): Promise<MetricsEndpoint> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      o.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': o.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500);
          res.end('metrics unavailable\n');
        },
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      const ok = o.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ok ? 'ok\n' : 'not connected to the broker\n');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
