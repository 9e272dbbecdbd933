/** An ingest thread: inspects one upload body at a time (scan/inspect.ts) off the API's event loop. */
import { parentPort, workerData } from "node:worker_threads";
import { type InspectInput, inspectBody } from "./inspect.js";
import { warmUp } from "./warm.js";

const port = parentPort;
if (!port) throw new Error("scan/thread.ts runs as a worker thread");
// messages that arrive meanwhile wait in the port's queue until the warm-up is done
if ((workerData as { warm?: boolean } | null)?.warm) await warmUp();

port.on("message", async (msg: { id: number; input: InspectInput }) => {
  try {
    const result = await inspectBody(msg.input);
    if (result.ok && result.payload) {
      // its own ArrayBuffer, transferred rather than copied back
      const own = new Uint8Array(result.payload.length);
      own.set(result.payload);
      port.postMessage({ id: msg.id, result: { ...result, payload: own } }, [own.buffer]);
      return;
    }
    port.postMessage({ id: msg.id, result });
  } catch (e) {
    port.postMessage({ id: msg.id, error: (e as Error).message });
  }
});
