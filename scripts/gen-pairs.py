#!/usr/bin/env python3
"""Writes N Deployment+Service pairs (valid against the Kubernetes schemas) to
one multi-document YAML file, for benchmarking parse vs schema validation.

Usage: scripts/gen-pairs.py N OUT.yaml
"""
import sys

TEMPLATE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: bench
  labels:
    app: app-{i}
    tier: backend
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
        tier: backend
    spec:
      containers:
        - name: app
          image: registry.example.com/app-{i}:1.{i}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: MODE
              value: "production"
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: "1"
              memory: 512Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
  namespace: bench
spec:
  type: ClusterIP
  selector:
    app: app-{i}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
---
"""


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    with open(out, "w") as f:
        for i in range(n):
            f.write(TEMPLATE.format(i=i))


if __name__ == "__main__":
    main()
