import { type ChannelInput, checkDestination, DestinationError } from "@bulwark/notify";
import type { Config, Db } from "@bulwark/runtime";
import type { NotificationFilters } from "@bulwark/schema";
import type { FieldError } from "../../errors.js";
import { validationError } from "../../validation.js";
import { findCluster } from "../clusters/find.js";

/** Resolve the filters' clusters (ids or names) to ids; an unknown one is a 400 naming it. */
export async function resolveFilters(
  db: Db,
  tenantId: string,
  filters: NotificationFilters,
): Promise<NotificationFilters> {
  if (!filters.clusters?.length) return filters;
  const ids: string[] = [];
  const errors: FieldError[] = [];
  for (const [i, ref] of filters.clusters.entries()) {
    const c = await findCluster(db, tenantId, ref, true);
    if (c) ids.push(c.id);
    else
      errors.push({ location: `body.filters.clusters.${i}`, message: `no cluster "${ref}" in this tenant` });
  }
  if (errors.length > 0) throw validationError(errors);
  return { ...filters, clusters: [...new Set(ids)] };
}

/**
 * A channel the server can use: email needs SMTP configured; a URL must pass the destination guard
 * (https, not loopback/private/link-local unless NOTIFY_ALLOW_PRIVATE_NETWORKS).
 */
export async function checkChannel(config: Config, channel: ChannelInput): Promise<void> {
  if (channel.type === "email") {
    if (!config.SMTP_URL) {
      throw validationError([
        { location: "body.channel.type", message: "email is not configured on this server (SMTP_URL)" },
      ]);
    }
    return;
  }
  const [field, url] = channel.type === "slack" ? ["webhookUrl", channel.webhookUrl] : ["url", channel.url];
  try {
    await checkDestination(url, { allowPrivate: config.NOTIFY_ALLOW_PRIVATE_NETWORKS });
  } catch (e) {
    if (e instanceof DestinationError) {
      throw validationError([{ location: `body.channel.${field}`, message: e.message }]);
    }
    throw e;
  }
}
