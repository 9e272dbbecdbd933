/** The shared query helper lives with the read queries both apps use (packages/insights). */
export { queryRows } from "@bulwark/insights";
