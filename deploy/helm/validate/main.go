// Command validate checks rendered Kubernetes manifests (the output of `helm template`) against
// the Kubernetes API's own types: every document is decoded strictly (an unknown or duplicated
// field is an error, a value of the wrong type is an error) into the typed struct of its
// apiVersion and kind from k8s.io/api, its metadata is checked with the API server's rules
// (names, labels, annotations), and a few rules the types cannot say are checked on top (a
// Deployment's selector selects its own pods, every container has a name and an image, a probe
// names a port the container declares). Nothing is fetched: the schemas are the Go types.
//
//	go run . [-custom group/version/Kind ...] [-json] < manifests.yaml
//
// It prints one line per object (to standard error) and, with -json, the valid objects as one
// JSON array on standard output, for a test to read without a YAML parser of its own.
// Kinds of custom resources (an operator's CRDs, whose schema is the operator's) are refused
// unless named with -custom; for those only the metadata is checked, and the line says so.
package main

import (
	"bufio"
	encjson "encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

type customKinds map[schema.GroupVersionKind]bool

func (c customKinds) String() string { return fmt.Sprint(map[schema.GroupVersionKind]bool(c)) }

func (c customKinds) Set(v string) error {
	i := strings.LastIndex(v, "/")
	if i < 0 {
		return fmt.Errorf("-custom %q: expected group/version/Kind, e.g. sparkoperator.k8s.io/v1beta2/SparkApplication", v)
	}
	gv, err := schema.ParseGroupVersion(v[:i])
	if err != nil {
		return fmt.Errorf("-custom %q: %v", v, err)
	}
	c[gv.WithKind(v[i+1:])] = true
	return nil
}

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, autoscalingv2.AddToScheme,
		policyv1.AddToScheme, networkingv1.AddToScheme, rbacv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}

// clusterScoped kinds take no namespace; every other kind of these groups is namespaced.
var clusterScoped = map[string]bool{"Namespace": true, "ClusterRole": true, "ClusterRoleBinding": true, "PersistentVolume": true}

func main() {
	custom := customKinds{}
	flag.Var(custom, "custom", "group/version/Kind of a custom resource whose metadata only is checked (repeatable)")
	asJSON := flag.Bool("json", false, "print the valid objects as one JSON array on standard output")
	flag.Parse()
	problems, lines, objects, err := validate(os.Stdin, newScheme(), custom)
	if err != nil {
		fmt.Fprintln(os.Stderr, "validate:", err)
		os.Exit(2)
	}
	for _, l := range lines {
		fmt.Fprintln(os.Stderr, l)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "INVALID", p)
		}
		os.Exit(1)
	}
	if len(lines) == 0 {
		fmt.Fprintln(os.Stderr, "validate: no manifest on standard input")
		os.Exit(1)
	}
	if *asJSON {
		if err := encjson.NewEncoder(os.Stdout).Encode(objects); err != nil {
			fmt.Fprintln(os.Stderr, "validate:", err)
			os.Exit(2)
		}
	}
}

// validate reads every YAML document of r; it returns one problem per invalid object, and one line and the object's content per valid one.
func validate(r io.Reader, s *runtime.Scheme, custom customKinds) (problems, lines []string, objects []map[string]interface{}, err error) {
	strict := json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, json.SerializerOptions{Yaml: true, Strict: true})
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	for n := 1; ; n++ {
		doc, readErr := reader.Read()
		if errors.Is(readErr, io.EOF) {
			return problems, lines, objects, nil
		}
		if readErr != nil {
			return nil, nil, nil, fmt.Errorf("document %d: %w", n, readErr)
		}
		if strings.TrimSpace(stripComments(string(doc))) == "" {
			continue
		}
		line, object, problem := check(doc, n, s, strict, custom)
		if problem != "" {
			problems = append(problems, problem)
		} else {
			lines = append(lines, line)
			objects = append(objects, object)
		}
	}
}

func stripComments(doc string) string {
	var kept []string
	for _, l := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") && strings.TrimSpace(l) != "---" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

func check(doc []byte, n int, s *runtime.Scheme, strict runtime.Decoder, custom customKinds) (line string, object map[string]interface{}, problem string) {
	asJSON, err := utilyaml.ToJSON(doc)
	if err != nil {
		return "", nil, fmt.Sprintf("document %d: not YAML that maps to JSON: %v", n, err)
	}
	u := &unstructured.Unstructured{}
	if _, _, err := unstructured.UnstructuredJSONScheme.Decode(asJSON, nil, u); err != nil {
		return "", nil, fmt.Sprintf("document %d: not a Kubernetes object: %v", n, err)
	}
	gvk := u.GroupVersionKind()
	what := fmt.Sprintf("%s/%s (%s)", gvk.Kind, u.GetName(), gvk.GroupVersion())
	if custom[gvk] {
		meta := metav1.ObjectMeta{Name: u.GetName(), Namespace: u.GetNamespace(), Labels: u.GetLabels(), Annotations: u.GetAnnotations()}
		if errs := apivalidation.ValidateObjectMeta(&meta, false, apivalidation.NameIsDNSSubdomain, field.NewPath("metadata")); len(errs) > 0 {
			return "", nil, fmt.Sprintf("%s: %v", what, errs.ToAggregate())
		}
		return "ok " + what + ": metadata only (a custom resource: its schema is its operator's)", u.Object, ""
	}
	if !s.Recognizes(gvk) {
		return "", nil, fmt.Sprintf("%s: no such kind in the Kubernetes API (k8s.io/api); a custom resource must be named with -custom", what)
	}
	obj, _, err := strict.Decode(doc, nil, nil)
	if err != nil {
		return "", nil, fmt.Sprintf("%s: %v", what, err)
	}
	accessor, ok := obj.(metav1.Object)
	if !ok {
		return "", nil, fmt.Sprintf("%s: has no object metadata", what)
	}
	meta := metav1.ObjectMeta{Name: accessor.GetName(), Namespace: accessor.GetNamespace(), Labels: accessor.GetLabels(), Annotations: accessor.GetAnnotations()}
	errs := apivalidation.ValidateObjectMeta(&meta, false, apivalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	if clusterScoped[gvk.Kind] && meta.Namespace != "" {
		errs = append(errs, field.Forbidden(field.NewPath("metadata", "namespace"), gvk.Kind+" is cluster-scoped"))
	}
	errs = append(errs, checkKind(obj)...)
	if len(errs) > 0 {
		return "", nil, fmt.Sprintf("%s: %v", what, errs.ToAggregate())
	}
	return "ok " + what + ": strict against k8s.io/api", u.Object, ""
}

// checkKind holds the rules the types cannot express that a wrong chart would break.
func checkKind(obj runtime.Object) field.ErrorList {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		p := field.NewPath("spec")
		errs := checkSelector(o.Spec.Selector, o.Spec.Template.Labels, p)
		return append(errs, checkPod(&o.Spec.Template.Spec, p.Child("template", "spec"))...)
	case *batchv1.Job:
		return checkPod(&o.Spec.Template.Spec, field.NewPath("spec", "template", "spec"))
	case *batchv1.CronJob:
		p := field.NewPath("spec")
		errs := field.ErrorList{}
		if strings.TrimSpace(o.Spec.Schedule) == "" {
			errs = append(errs, field.Required(p.Child("schedule"), "a CronJob needs a schedule"))
		}
		return append(errs, checkPod(&o.Spec.JobTemplate.Spec.Template.Spec, p.Child("jobTemplate", "spec", "template", "spec"))...)
	case *autoscalingv2.HorizontalPodAutoscaler:
		p := field.NewPath("spec")
		errs := field.ErrorList{}
		if o.Spec.ScaleTargetRef.Kind == "" || o.Spec.ScaleTargetRef.Name == "" {
			errs = append(errs, field.Required(p.Child("scaleTargetRef"), "kind and name of what to scale"))
		}
		if o.Spec.MinReplicas != nil && *o.Spec.MinReplicas > o.Spec.MaxReplicas {
			errs = append(errs, field.Invalid(p.Child("minReplicas"), *o.Spec.MinReplicas, "must not exceed maxReplicas"))
		}
		return errs
	case *corev1.Service:
		errs := field.ErrorList{}
		if len(o.Spec.Ports) == 0 {
			errs = append(errs, field.Required(field.NewPath("spec", "ports"), "a Service needs a port"))
		}
		return errs
	}
	return nil
}

func checkSelector(sel *metav1.LabelSelector, podLabels map[string]string, p *field.Path) field.ErrorList {
	if sel == nil || len(sel.MatchLabels) == 0 {
		return field.ErrorList{field.Required(p.Child("selector", "matchLabels"), "a Deployment selects its pods by labels")}
	}
	errs := field.ErrorList{}
	for k, v := range sel.MatchLabels {
		if podLabels[k] != v {
			errs = append(errs, field.Invalid(p.Child("selector", "matchLabels").Key(k), v, "the pod template's labels do not carry it: the Deployment would select none of its own pods"))
		}
	}
	return errs
}

func checkPod(spec *corev1.PodSpec, p *field.Path) field.ErrorList {
	errs := field.ErrorList{}
	if len(spec.Containers) == 0 {
		errs = append(errs, field.Required(p.Child("containers"), "a pod needs a container"))
	}
	volumes := map[string]bool{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = true
	}
	all := append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
	for i, c := range all {
		cp := p.Child("containers").Index(i)
		if c.Name == "" {
			errs = append(errs, field.Required(cp.Child("name"), ""))
		}
		if c.Image == "" {
			errs = append(errs, field.Required(cp.Child("image"), ""))
		}
		for j, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				errs = append(errs, field.NotFound(cp.Child("volumeMounts").Index(j).Child("name"), m.Name))
			}
		}
		ports := map[string]bool{}
		for _, port := range c.Ports {
			ports[port.Name] = true
		}
		for name, probe := range map[string]*corev1.Probe{"livenessProbe": c.LivenessProbe, "readinessProbe": c.ReadinessProbe, "startupProbe": c.StartupProbe} {
			if probe == nil || probe.HTTPGet == nil {
				continue
			}
			if port := probe.HTTPGet.Port; port.StrVal != "" && !ports[port.StrVal] {
				errs = append(errs, field.NotFound(cp.Child(name, "httpGet", "port"), port.StrVal))
			}
		}
	}
	return errs
}
