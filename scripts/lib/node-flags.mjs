// V8 flags the bridge runs with (npm start, the README's systemd unit, the queue benchmark).
// The bridge is I/O-bound and keeps a ~10 MB live heap; V8's default young generation (16 MB
// semi-spaces) lets RSS float ~20 MB higher for no speed gain. 8 MB semi-spaces: same throughput
// in the queue benchmark, lower resident memory.
export const BRIDGE_NODE_FLAGS = ["--max-semi-space-size=8"];
