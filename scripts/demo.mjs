// `npm run demo`: the first line at once (plain Node starts in milliseconds), then the demo itself, TypeScript
// run through tsx's loader in this same process: no tsx parent process between npm and the demo.
process.stdout.write("Bulwark demo\n");
const { register } = await import("tsx/esm/api");
register();
await import("./demo.ts");
