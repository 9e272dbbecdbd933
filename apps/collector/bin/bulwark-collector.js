#!/usr/bin/env node
// The collector is TypeScript run by tsx, like the API and the worker: register tsx's loader, then start.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
