/**
 * A tiny round-robin HTTP load balancer for benchmarks: one port in front of several API
 * instances, as a deployment's proxy would be.
 *
 * - Requests go to the instances in turn. A refused connection (the instance is down: nothing
 *   reached it) marks that instance down for a second and the request goes to the next one,
 *   like nginx's `proxy_next_upstream error` for a failed connect.
 * - Any other failure after the request went out (the instance died while handling it) is a
 *   502 to the client, which decides whether to retry: the request may have been processed.
 * - `X-Forwarded-For` gets the client's address appended and `X-Forwarded-Proto: https` is
 *   set, so instances with `TRUST_PROXY=loopback` see the client (the benchmark sends each
 *   simulated member's own address) as behind a TLS-terminating proxy.
 */
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxyStats {
  /** Requests answered by each instance, by port. */
  forwarded: Record<string, number>;
  /** Requests sent to another instance after a refused connection. */
  redirected: number;
  /** Requests answered 502 (the instance failed after receiving them, or none was up). */
  failed: number;
}

export interface RoundRobinProxy {
  url: string;
  stats(): ProxyStats;
  close(): Promise<void>;
}

const DOWN_MS = 1000;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startRoundRobinProxy(ports: readonly number[]): Promise<RoundRobinProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const downUntil = new Map<number, number>();
  const stats: ProxyStats = { forwarded: {}, redirected: 0, failed: 0 };
  let next = 0;

  /** The instances in the order to try for one request: round robin, those up first. */
  const order = (): number[] => {
    const start = next++ % ports.length;
    const turn = ports.map((_, i) => ports[(start + i) % ports.length]!);
    const now = Date.now();
    return [
      ...turn.filter((p) => (downUntil.get(p) ?? 0) <= now),
      ...turn.filter((p) => (downUntil.get(p) ?? 0) > now),
    ];
  };

  const forward = (
    port: number,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ): Promise<"answered" | "failed" | "refused"> =>
    new Promise((resolve) => {
      const forwardedFor = [req.headers["x-forwarded-for"], req.socket.remoteAddress]
        .filter(Boolean)
        .join(", ");
      const upstream = request(
        {
          host: "127.0.0.1",
          port,
          method: req.method,
          path: req.url,
          agent,
          headers: {
            ...req.headers,
            host: req.headers.host ?? `127.0.0.1:${port}`,
            "x-forwarded-for": forwardedFor,
            "x-forwarded-proto": "https",
            "content-length": String(body.length),
          },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.once("end", () => resolve("answered"));
          answer.once("error", () => {
            res.destroy();
            resolve("failed");
          });
          // The instance died in the middle of its response: the client must see a broken
          // response too (not one that never ends), as it would without the proxy.
          answer.once("close", () => {
            if (answer.complete) return;
            res.destroy();
            resolve("failed");
          });
        },
      );
      upstream.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED") return resolve("refused");
        if (!res.headersSent)
          res.writeHead(502, { "content-type": "text/plain" }).end("upstream failed");
        else res.destroy();
        resolve("failed");
      });
      // The client gave up (Telegram abandoning a delivery): drop the upstream exchange too, or
      // its unread response would hold one of the agent's sockets to that instance for good.
      res.once("close", () => {
        if (res.writableFinished) return;
        upstream.destroy();
        resolve("failed");
      });
      upstream.end(body);
    });

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    let tries = 0;
    for (const port of order()) {
      if (tries++ > 0) stats.redirected++;
      const outcome = await forward(port, req, body, res);
      if (outcome === "answered") {
        stats.forwarded[port] = (stats.forwarded[port] ?? 0) + 1;
        return;
      }
      if (outcome === "failed") {
        stats.failed++;
        return;
      }
      downUntil.set(port, Date.now() + DOWN_MS);
    }
    stats.failed++;
    res.writeHead(502, { "content-type": "text/plain" }).end("no instance is up");
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
