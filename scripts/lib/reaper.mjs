// The demo's guardian: a small process of its own (detached, in its own process group) that outlives the demo
// only to stop what the demo started. The demo tells it, one line per event on this process's stdin:
//   start <pid> <signal>   a service was started; stop it with <signal> (SIGTERM for redis, SIGINT for postgres)
//   stop <pid>             the demo stopped that service itself
// When stdin closes the demo has exited, however it exited (a signal to npm, tsx or node, an error, SIGKILL):
// every service still registered gets its signal, SIGKILL after 10 s, and the guardian exits.
// Plain JavaScript so it starts in milliseconds without tsx. Its one argument, the demo's data directory, only
// names it in `ps`.
const services = new Map();
let buffered = "";

// a Ctrl-C in the terminal goes to the demo, which stops its services itself; this process waits for EOF
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => {});

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffered += chunk;
  let nl = buffered.indexOf("\n");
  while (nl >= 0) {
    const [verb, pid, signal] = buffered.slice(0, nl).trim().split(/\s+/);
    buffered = buffered.slice(nl + 1);
    nl = buffered.indexOf("\n");
    if (verb === "start" && Number(pid) > 0) services.set(Number(pid), signal || "SIGTERM");
    if (verb === "stop") services.delete(Number(pid));
  }
});
process.stdin.on("end", () => {
  if (services.size === 0) process.exit(0);
  for (const [pid, signal] of services) {
    try {
      process.kill(pid, signal);
    } catch {
      services.delete(pid);
    }
  }
  const started = Date.now();
  const timer = setInterval(() => {
    for (const pid of services.keys()) if (!alive(pid)) services.delete(pid);
    if (services.size === 0) process.exit(0);
    if (Date.now() - started > 10_000) {
      for (const pid of services.keys()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      clearInterval(timer);
      process.exit(0);
    }
  }, 100);
});
