import { describe, expect, it } from "vitest";
import { type OwnerInput, resolveOwner } from "../../src/parsers/owner.js";

describe("resolveOwner", () => {
  it.each<[string, OwnerInput, string]>([
    ["ReplicaSet → Deployment", { kind: "ReplicaSet", name: "web-7d4b9c8f5d" }, "Deployment/web"],
    ["short (5) hash", { kind: "ReplicaSet", name: "api-gw-6bf9c" }, "Deployment/api-gw"],
    ["coredns RS", { kind: "ReplicaSet", name: "coredns-558bd4d5db" }, "Deployment/coredns"],
    ["RS without hash stays", { kind: "ReplicaSet", name: "manual" }, "ReplicaSet/manual"],
    ["RS with vowels in suffix stays", { kind: "ReplicaSet", name: "web-release" }, "ReplicaSet/web-release"],
    ["Pod of a ReplicaSet", { kind: "Pod", name: "web-7d4b9c8f5d-x2x9z" }, "Deployment/web"],
    ["Pod of a CronJob run", { kind: "Pod", name: "backup-28512345-kq7zp" }, "CronJob/backup"],
    ["Job of a CronJob", { kind: "Job", name: "backup-28512345" }, "CronJob/backup"],
    ["plain Job stays", { kind: "Job", name: "migrate-db" }, "Job/migrate-db"],
    ["short digit suffix is not a CronJob", { kind: "Job", name: "job-1234" }, "Job/job-1234"],
    [
      "static pod stays",
      { kind: "Pod", name: "kube-apiserver-kind-control-plane" },
      "Pod/kube-apiserver-kind-control-plane",
    ],
    ["StatefulSet pod without labels stays", { kind: "Pod", name: "db-0" }, "Pod/db-0"],
    ["Deployment stays", { kind: "Deployment", name: "web-7d4b9c8f5d" }, "Deployment/web-7d4b9c8f5d"],
    ["cluster object stays", { kind: "ClusterRole", name: "admin" }, "ClusterRole/admin"],
    [
      "ownerReference ReplicaSet",
      {
        kind: "Pod",
        name: "whatever",
        ownerReferences: [{ kind: "ReplicaSet", name: "web-7d4b9c8f5d", controller: true }],
      },
      "Deployment/web",
    ],
    [
      "ownerReference ReplicaSet with pod-template-hash label",
      {
        kind: "Pod",
        name: "web-abc-x",
        labels: { "pod-template-hash": "abc" },
        ownerReferences: [{ kind: "ReplicaSet", name: "web-abc" }],
      },
      "Deployment/web",
    ],
    [
      "controller reference wins over others",
      {
        kind: "Pod",
        name: "p",
        ownerReferences: [
          { kind: "ConfigMap", name: "x", controller: false },
          { kind: "DaemonSet", name: "node-agent", controller: true },
        ],
      },
      "DaemonSet/node-agent",
    ],
    [
      "ownerReference StatefulSet",
      { kind: "Pod", name: "db-0", ownerReferences: [{ kind: "StatefulSet", name: "db" }] },
      "StatefulSet/db",
    ],
    [
      "ownerReference Job of CronJob",
      { kind: "Pod", name: "x", ownerReferences: [{ kind: "Job", name: "report-29000000" }] },
      "CronJob/report",
    ],
    [
      "mirror pod owned by Node stays",
      { kind: "Pod", name: "etcd-n1", ownerReferences: [{ kind: "Node", name: "n1" }] },
      "Pod/etcd-n1",
    ],
    [
      "pod-template-hash label",
      { kind: "Pod", name: "my-app-aaaa-bcdfg", labels: { "pod-template-hash": "aaaa" } },
      "Deployment/my-app",
    ],
    [
      "job-name label",
      { kind: "Pod", name: "anything", labels: { "job-name": "nightly-27000000" } },
      "CronJob/nightly",
    ],
    [
      "statefulset label",
      { kind: "Pod", name: "kafka-2", labels: { "statefulset.kubernetes.io/pod-name": "kafka-2" } },
      "StatefulSet/kafka",
    ],
    [
      "hash label with regex characters is compared literally",
      { kind: "Pod", name: "a-b.c-bcdfg", labels: { "pod-template-hash": "b.c" } },
      "Deployment/a",
    ],
  ])("%s", (_, input, expected) => {
    const o = resolveOwner(input);
    expect(`${o.kind}/${o.name}`).toBe(expected);
  });
});
