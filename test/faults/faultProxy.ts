// A fault-injecting HTTP proxy that plays Grafana's data-source proxy between the (Node) backend
// service and a real Prometheus. Like Grafana's, it answers 502 with an empty body when Prometheus
// cannot be reached and 504 with an empty body past its time-out ([dataproxy] timeout, 30 s by
// default). Each request is recorded (path, PromQL, bytes, time) and answered by the current
// `fault` rule: pass through (optionally with edited parameters), a canned status and body, a
// delay, a truncated or rewritten body, or a dropped connection.
import http from 'http';
import net from 'net';

export type Fault =
  | { kind: 'pass' }
  /** Change the request's parameters (query, step, …) before Prometheus sees it. */
  | { kind: 'editRequest'; edit: (params: URLSearchParams) => void }
  /** Answer without asking Prometheus. */
  | { kind: 'respond'; status: number; contentType: string; body: string }
  /** Wait, then pass through (the client or Grafana's proxy may give up first). */
  | { kind: 'delay'; ms: number }
  /** Pass Prometheus' status and headers, but only the first `bytes` of its body, then end. */
  | { kind: 'truncate'; bytes: number }
  /** Pass Prometheus' answer through `rewrite` (parsed JSON in, JSON out). */
  | { kind: 'rewrite'; rewrite: (body: any) => any }
  /** Close the connection without answering. */
  | { kind: 'hangup' };

export interface ProxiedRequest {
  method: string;
  path: string;
  /** Query string and form parameters together. */
  params: URLSearchParams;
  /** The PromQL sent, if any (`query` parameter). */
  query?: string;
  status?: number;
  /** Bytes of the answer body as Prometheus sent it (before any fault). */
  upstreamBytes: number;
  ms: number;
  aborted: boolean;
}

export interface FaultProxy {
  url: string;
  requests: ProxiedRequest[];
  /** Decides the fault for each request; default: pass everything. */
  fault: (req: ProxiedRequest) => Fault;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Grafana's [dataproxy] timeout. Default 30 s, as in Grafana. */
  timeoutMs?: number;
}

export async function startFaultProxy(upstream: string, opts: FaultProxyOptions = {}): Promise<FaultProxy> {
  const timeoutMs = opts.timeoutMs ?? 30000;
  const sockets = new Set<net.Socket>();
  const proxy: FaultProxy = {
    url: '',
    requests: [],
    fault: () => ({ kind: 'pass' }),
    close: () =>
      new Promise((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://proxy');
      const params = new URLSearchParams(url.search);
      if (String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
        new URLSearchParams(body.toString('utf8')).forEach((v, k) => params.append(k, v));
      }
      const record: ProxiedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        params,
        query: params.get('query') ?? undefined,
        upstreamBytes: 0,
        ms: 0,
        aborted: false,
      };
      proxy.requests.push(record);
      res.on('close', () => {
        record.ms = Date.now() - started;
        record.aborted = !res.writableFinished;
      });
      const fault = proxy.fault(record);
      const finish = (status: number, headers: http.OutgoingHttpHeaders, payload: Buffer) => {
        if (res.headersSent) {
          return; // the time-out answered first
        }
        record.status = status;
        res.writeHead(status, { ...headers, 'content-length': payload.length });
        res.end(payload);
      };

      if (fault.kind === 'hangup') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'respond') {
        finish(fault.status, { 'content-type': fault.contentType }, Buffer.from(fault.body));
        return;
      }
      let outBody = body;
      let outPath = req.url ?? '/';
      if (fault.kind === 'editRequest') {
        fault.edit(params);
        record.query = params.get('query') ?? undefined;
        // Send every parameter in the form body (Prometheus reads both).
        outPath = url.pathname;
        outBody = Buffer.from(params.toString());
      }
      // An uncompressed answer (fetch asks for gzip), so faults and byte counts apply to the JSON itself.
      const headers: http.OutgoingHttpHeaders = {
        ...req.headers,
        host: new URL(upstream).host,
        'content-length': outBody.length,
        'accept-encoding': 'identity',
      };
      if (fault.kind === 'editRequest') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      const forward = () => {
        const out = http.request(
          upstream + outPath,
          { method: fault.kind === 'editRequest' ? 'POST' : req.method, headers },
          (up) => {
            const upChunks: Buffer[] = [];
            up.on('data', (c: Buffer) => upChunks.push(c));
            up.on('end', () => {
              const payload = Buffer.concat(upChunks);
              record.upstreamBytes = payload.length;
              const headers = { ...up.headers };
              delete headers['content-length'];
              delete headers['transfer-encoding'];
              if (fault.kind === 'truncate') {
                finish(up.statusCode ?? 200, headers, payload.subarray(0, fault.bytes));
              } else if (fault.kind === 'rewrite') {
                finish(
                  up.statusCode ?? 200,
                  headers,
                  Buffer.from(JSON.stringify(fault.rewrite(JSON.parse(payload.toString('utf8')))))
                );
              } else {
                finish(up.statusCode ?? 200, headers, payload);
              }
            });
          }
        );
        out.on('error', () => {
          finish(502, {}, Buffer.alloc(0));
        });
        // The client gave up (a cancelled request): stop asking Prometheus too.
        res.on('close', () => out.destroy());
        out.end(outBody);
      };
      // Grafana's proxy gives up after its time-out, whatever the upstream is doing.
      const timer = setTimeout(() => {
        finish(504, {}, Buffer.alloc(0));
      }, timeoutMs);
      res.on('close', () => clearTimeout(timer));
      if (fault.kind === 'delay') {
        const wait = setTimeout(forward, fault.ms);
        res.on('close', () => clearTimeout(wait));
      } else {
        forward();
      }
    });
  });
  // Like Grafana's (Go) server, no idle time-out on kept-alive connections: Node's 5 s one races
  // with fetch reusing the connection under load (ECONNRESET). close() destroys them.
  server.keepAliveTimeout = 0;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return proxy;
}
