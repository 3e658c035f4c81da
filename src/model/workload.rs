//! Pod templates of every workload kind, their containers and ports.

use std::borrow::Cow;

use super::Object;
use super::selector::{Selector, string_pairs};
use crate::parse::Node;
use crate::source::Span;

/// The pod a workload creates (or the Pod itself).
#[derive(Debug)]
pub struct PodTemplate<'a> {
    /// `spec.template` (the Pod's root for a Pod).
    pub node: &'a Node,
    /// `metadata.labels` of the template, if written.
    pub labels_node: Option<&'a Node>,
    pub labels: Vec<(&'a str, Cow<'a, str>)>,
    /// The pod spec (`template.spec`).
    pub spec: Option<&'a Node>,
}

/// How a workload picks its pods.
#[derive(Debug)]
pub struct WorkloadSelector<'a> {
    pub selector: Selector<'a>,
    /// The `spec.selector` node.
    pub node: &'a Node,
    /// The `selector` key, where findings about the selector point.
    pub key_span: Span,
}

#[derive(Debug)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub name: Option<&'a str>,
    pub init: bool,
}

#[derive(Debug)]
pub struct ContainerPort<'a> {
    pub node: &'a Node,
    pub number: Option<i64>,
    pub name: Option<&'a str>,
    /// `TCP` when omitted, as the API defaults it.
    pub protocol: &'a str,
}

impl Object {
    /// The pod template of a workload kind, or the pod itself.
    pub fn pod_template(&self) -> Option<PodTemplate<'_>> {
        let root = &self.root;
        let template = match self.kind() {
            "Pod" => root,
            "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "ReplicationController" => root.path(&["spec", "template"])?,
            "CronJob" => root.path(&["spec", "jobTemplate", "spec", "template"])?,
            // OpenShift's DeploymentConfig: a ReplicationController's shape.
            "DeploymentConfig" if self.api_version().starts_with("apps.openshift.io/") => {
                root.path(&["spec", "template"])?
            }
            _ => return None,
        };
        let labels_node = template.path(&["metadata", "labels"]);
        Some(PodTemplate {
            node: template,
            labels_node,
            labels: string_pairs(labels_node),
            spec: template.get("spec"),
        })
    }

    /// The selector a controller uses to find its pods. `None` for kinds
    /// without one, and for Jobs/CronJobs and ReplicationControllers that
    /// leave it to be generated from the template.
    pub fn workload_selector(&self) -> Option<WorkloadSelector<'_>> {
        let root = &self.root;
        let (spec, plain_map) = match self.kind() {
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" => {
                (root.get("spec")?, false)
            }
            "CronJob" => (root.path(&["spec", "jobTemplate", "spec"])?, false),
            // ReplicationController's selector is a plain map.
            "ReplicationController" => (root.get("spec")?, true),
            "DeploymentConfig" if self.api_version().starts_with("apps.openshift.io/") => {
                (root.get("spec")?, true)
            }
            _ => return None,
        };
        let entry = spec.entry("selector")?;
        let node = &entry.value;
        Some(WorkloadSelector {
            selector: if plain_map {
                Selector::from_map(node)
            } else {
                Selector::from_label_selector(node)
            },
            node,
            key_span: entry.key.span,
        })
    }
}

impl<'a> PodTemplate<'a> {
    /// Containers, then init containers (sidecars declared as restartable
    /// init containers serve ports too).
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + '_ {
        let spec = self.spec;
        let list = move |key: &'static str, init: bool| {
            spec.map(move |s| s.get_seq(key))
                .unwrap_or(&[])
                .iter()
                .map(move |node| Container {
                    node,
                    name: node.get_str("name"),
                    init,
                })
        };
        list("containers", false).chain(list("initContainers", true))
    }

    pub fn labels_span(&self) -> Span {
        self.labels_node.map_or(self.node.span, |n| n.span)
    }
}

impl<'a> Container<'a> {
    pub fn ports(&self) -> impl Iterator<Item = ContainerPort<'a>> + 'a {
        self.node.get_seq("ports").iter().map(|node| ContainerPort {
            node,
            number: node.get("containerPort").and_then(Node::as_i64),
            name: node.get_str("name"),
            protocol: node.get_str("protocol").unwrap_or("TCP"),
        })
    }
}
