//! Synthetic corpus for benchmarks and scale tests: N apps across several
//! namespaces, each a ConfigMap + Deployment + Service + Ingress + HPA + PDB
//! (and, for every third app, an Istio VirtualService + DestinationRule),
//! wired correctly so that reference rules find nothing. Optionally every
//! k-th app carries one known mistake, listed in [`Corpus::expected`].
//!
//! Shared by `examples/gen_corpus.rs` (writes files), the criterion benches
//! (in memory) and `tests/it/bench_corpus.rs` (proves the wiring). Deterministic:
//! the same options always give the same bytes.

#![allow(dead_code)]

use std::fmt::Write as _;

#[derive(Clone, Debug)]
pub struct Options {
    pub apps: usize,
    pub namespaces: usize,
    /// Inject a mistake into every `mistake_every`-th app (0: none).
    pub mistake_every: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            apps: 100,
            namespaces: 8,
            mistake_every: 0,
        }
    }
}

/// The mistakes the generator knows, each found by an existing rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    /// Service selector value misspelt (KW3002).
    ServiceSelectorTypo,
    /// Deployment selector does not match its own template (KW3001).
    WorkloadSelectorMismatch,
    /// The ConfigMap defined twice in the same file (KW0010).
    DuplicateObject,
    /// A label value with a space (KW0006).
    InvalidLabel,
    /// An upper-case object name (KW0005).
    InvalidName,
}

impl Mistake {
    pub const ALL: [Mistake; 5] = [
        Mistake::ServiceSelectorTypo,
        Mistake::WorkloadSelectorMismatch,
        Mistake::DuplicateObject,
        Mistake::InvalidLabel,
        Mistake::InvalidName,
    ];

    /// The rule codes that must report it, and only those: a Service
    /// selecting nothing also leaves its Ingress without endpoints (KW3203).
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Mistake::ServiceSelectorTypo => &["KW3002", "KW3203"],
            Mistake::WorkloadSelectorMismatch => &["KW3001"],
            Mistake::DuplicateObject => &["KW0010"],
            Mistake::InvalidLabel => &["KW0006"],
            Mistake::InvalidName => &["KW0005"],
        }
    }
}

pub struct File {
    /// Relative path, `NAMESPACE/APP.yaml`.
    pub path: String,
    pub text: String,
}

pub struct Corpus {
    pub files: Vec<File>,
    /// (relative path, mistake) for every injected mistake.
    pub expected: Vec<(String, Mistake)>,
    pub documents: usize,
}

pub fn generate(opts: &Options) -> Corpus {
    let mut files = Vec::with_capacity(opts.apps);
    let mut expected = Vec::new();
    let mut documents = 0;
    let mut injected = 0usize;
    for i in 0..opts.apps {
        let mistake = if opts.mistake_every > 0 && i % opts.mistake_every == opts.mistake_every - 1
        {
            let m = Mistake::ALL[injected % Mistake::ALL.len()];
            injected += 1;
            Some(m)
        } else {
            None
        };
        let ns = format!("team-{}", i % opts.namespaces.max(1));
        let (text, docs) = app(i, &ns, mistake);
        let path = format!("{ns}/app-{i}.yaml");
        if let Some(m) = mistake {
            expected.push((path.clone(), m));
        }
        documents += docs;
        files.push(File { path, text });
    }
    Corpus {
        files,
        expected,
        documents,
    }
}

/// Writes the corpus under `dir` (created); returns the number of bytes.
pub fn write(corpus: &Corpus, dir: &std::path::Path) -> std::io::Result<u64> {
    let mut bytes = 0;
    for f in &corpus.files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.text)?;
        bytes += f.text.len() as u64;
    }
    Ok(bytes)
}

/// One app's file and its document count.
fn app(i: usize, ns: &str, mistake: Option<Mistake>) -> (String, usize) {
    let name = format!("app-{i}");
    let obj_name = if mistake == Some(Mistake::InvalidName) {
        format!("App_{i}")
    } else {
        name.clone()
    };
    let tier = ["web", "api", "worker", "cache"][i % 4];
    let team_label = if mistake == Some(Mistake::InvalidLabel) {
        "\"platform team\""
    } else {
        "platform"
    };
    let version = "v1";
    // KW3002 stays silent when a custom resource in the namespace is named
    // like a selector value (it takes it for an operator's pods), and an
    // Istio VirtualService named after the app is such a resource: keep the
    // typo'd Service's app free of Istio objects so KW3002 still reports it.
    let istio = i.is_multiple_of(3) && mistake != Some(Mistake::ServiceSelectorTypo);
    let port = 8080 + (i % 5) as u32;
    let mut s = String::with_capacity(6000);
    let mut docs = 6;

    let configmap = format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: shop
data:
  LOG_LEVEL: info
  UPSTREAM: http://{name}.{ns}.svc.cluster.local:80
  FEATURE_FLAGS: \"checkout,search,recommendations\"
"
    );
    s.push_str(&configmap);
    if mistake == Some(Mistake::DuplicateObject) {
        s.push_str("---\n");
        s.push_str(&configmap);
        docs += 1;
    }

    let selector_name = if mistake == Some(Mistake::WorkloadSelectorMismatch) {
        format!("{name}-v2")
    } else {
        name.clone()
    };
    let _ = write!(
        s,
        "---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {obj_name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/component: {tier}
    app.kubernetes.io/part-of: shop
    team: {team_label}
spec:
  # No `replicas`: the HorizontalPodAutoscaler owns the count (KW3007).
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: {selector_name}
      app.kubernetes.io/component: {tier}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
        app.kubernetes.io/component: {tier}
        app.kubernetes.io/part-of: shop
        version: {version}
      annotations:
        prometheus.io/scrape: \"true\"
        prometheus.io/port: \"{port}\"
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {tier}
          image: registry.example.com/shop/{tier}:1.{minor}.{patch}
          imagePullPolicy: IfNotPresent
          args: [\"--port={port}\", \"--config=/etc/{name}\"]
          ports:
            - name: http
              containerPort: {port}
              protocol: TCP
            - name: metrics
              containerPort: 9090
          envFrom:
            - configMapRef:
                name: {name}-config
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [\"ALL\"]
",
        minor = i % 20,
        patch = i % 7,
    );

    let service_tier = if mistake == Some(Mistake::ServiceSelectorTypo) {
        // `web` -> `webb`: a slip KW3002 names.
        format!("{tier}b")
    } else {
        tier.to_string()
    };
    let _ = write!(
        s,
        "---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: shop
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/component: {service_tier}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
spec:
  ingressClassName: nginx
  rules:
    - host: {name}.{ns}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {name}
                port:
                  name: http
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: {ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {obj_name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {ns}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
      app.kubernetes.io/component: {tier}
"
    );
    if istio {
        docs += 2;
        let _ = write!(
            s,
            "---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {name}
  namespace: {ns}
spec:
  hosts:
    - {name}.{ns}.svc.cluster.local
  http:
    - route:
        - destination:
            host: {name}.{ns}.svc.cluster.local
            subset: {version}
            port:
              number: 80
      timeout: 5s
      retries:
        attempts: 3
        perTryTimeout: 2s
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {name}
  namespace: {ns}
spec:
  host: {name}.{ns}.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
  subsets:
    - name: {version}
      labels:
        version: {version}
"
        );
    }
    (s, docs)
}
