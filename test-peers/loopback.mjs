// Preload for `node --import ./loopback.mjs <script>`: makes net.Server#listen (and so the
// http/https/express servers built on it) bind to 127.0.0.1 whenever the caller gives no host,
// so test peers that would listen on every interface stay on loopback only.
// Explicit hosts, pipe/socket paths and handle/fd forms are left untouched.
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

// LOOPBACK_PORT_MAP="3000:45123,4000:45124" moves example servers with a hard-coded port to a
// free one the test chose, so two test runs never fight over the same port.
const portMap = new Map(
  (process.env.LOOPBACK_PORT_MAP ?? '').split(',').filter(Boolean).map((pair) => pair.split(':').map(Number)));
const mapPort = (p) => (p !== undefined && p !== null && portMap.has(Number(p))) ? portMap.get(Number(p)) : p;

/** A TCP port as listen() accepts it: a number, a numeric string, or nothing (= ephemeral). */
const isPort = (v) =>
  v === undefined || v === null || typeof v === 'number' ||
  (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

net.Server.prototype.listen = function listen(...args) {
  const first = args[0];

  // listen(), listen(cb), listen(port), listen(port, cb), listen(port, backlog), listen(port, backlog, cb)
  if (typeof first === 'function' || isPort(first)) {
    const portGiven = typeof first !== 'function';
    const rest = portGiven ? args.slice(1) : args;
    if (rest.length > 0 && typeof rest[0] === 'string') {
      return originalListen.apply(this, args); // listen(port, host, ...) - host given
    }
    const options = { port: portGiven && first !== null ? mapPort(first) : 0, host: LOOPBACK };
    if (typeof rest[0] === 'number') options.backlog = rest[0];
    const cb = rest.find((a) => typeof a === 'function');
    return cb ? originalListen.call(this, options, cb) : originalListen.call(this, options);
  }

  // listen({ port, host?, backlog?, ... }, cb?) - only plain TCP options without a host
  if (first && typeof first === 'object' && first.path === undefined && first.fd === undefined &&
      first._handle === undefined && first.handle === undefined && first.host === undefined &&
      !(first instanceof net.Server) && !(first instanceof net.Socket)) {
    return originalListen.apply(this, [{ ...first, port: mapPort(first.port), host: LOOPBACK }, ...args.slice(1)]);
  }

  return originalListen.apply(this, args);
};
