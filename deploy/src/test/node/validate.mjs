// Validates Kubernetes manifests against the JSON schemas of the Kubernetes API (kubernetes-models)
// and of the Prometheus Operator's resources (@kubernetes-models/prometheus-operator), and parses
// PromQL expressions with Prometheus's own grammar (@prometheus-io/lezer-promql).
// Input (argv[2]): {"manifests": [...], "expressions": [[where, expr], ...]}; output: a JSON array of
// problems on stdout. Run by KubernetesSchemas.java; Strimzi resources are checked there.
import { readFileSync } from "node:fs";
import { parser } from "@prometheus-io/lezer-promql";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const problems = [];
for (const doc of input.manifests ?? []) {
  const slash = doc.apiVersion.indexOf("/");
  const group = slash < 0 ? null : doc.apiVersion.slice(0, slash);
  const version = doc.apiVersion.slice(slash + 1);
  const where = `${doc.kind} ${doc.metadata?.name}`;
  if (group === "kafka.strimzi.io") {
    continue;
  }
  const module =
    group === "monitoring.coreos.com"
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${doc.kind}`
      : `kubernetes-models/${group ? group + "/" : ""}${version}/${doc.kind}`;
  try {
    const models = await import(module);
    new models[doc.kind](doc).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
}
for (const [where, expr] of input.expressions ?? []) {
  let error = null;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError && error === null) error = node.from;
    },
  });
  if (error !== null) problems.push(`${where}: PromQL does not parse at ${error}: ${expr}`);
}
console.log(JSON.stringify(problems));
