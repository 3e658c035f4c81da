#!/usr/bin/env python3
"""Synthetic repo for the reference-rule benchmark in docs/decisions.md:
N apps in 10 namespaces, each with a ServiceAccount, a ConfigMap holding
Service DNS names, a Service, a Deployment (envFrom, configMapKeyRef, env
DNS names: one short name of another namespace, one `.svc` name resolving
nowhere) and a ServiceMonitor.  Usage: synth-dns.py OUT_DIR [N]"""
import os
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
random.seed(7)
os.makedirs(out, exist_ok=True)
for i in range(n):
    ns = f"ns{i % 10}"
    j = random.randrange(n)
    k = j % 10
    nxt = (j + 1) % n
    doc = f"""apiVersion: v1
kind: ServiceAccount
metadata: {{name: app{i}, namespace: {ns}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: app{i}-config, namespace: {ns}}}
data:
  UPSTREAM_URL: http://app{j}.ns{k}.svc:80/api
  peers: "app{j}.ns{k}.svc.cluster.local:80,app{nxt}.ns{nxt % 10}.svc:80"
  LEVEL: info
---
apiVersion: v1
kind: Service
metadata: {{name: app{i}, namespace: {ns}, labels: {{app: app{i}}}}}
spec:
  selector: {{app: app{i}}}
  ports: [{{name: http, port: 80, targetPort: http}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app{i}, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: app{i}}}}}
  template:
    metadata: {{labels: {{app: app{i}}}}}
    spec:
      serviceAccountName: app{i}
      containers:
        - name: app
          image: example.registry/app:{i}
          ports: [{{name: http, containerPort: 8080}}]
          envFrom: [{{configMapRef: {{name: app{i}-config}}}}]
          env:
            - {{name: LEVEL, valueFrom: {{configMapKeyRef: {{name: app{i}-config, key: LEVEL}}}}}}
            - {{name: NEXT_HOST, value: "app{(i + 1) % n}"}}
            - {{name: DB_URL, value: "jdbc:postgresql://db{i}.ns{k}.svc:5432/x"}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {{name: app{i}, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: app{i}}}}}
  endpoints: [{{port: http}}]
"""
    with open(os.path.join(out, f"app{i}.yaml"), "w") as f:
        f.write(doc)
