//! Property tests: whatever text the loader is given, random or a mutation of a real
//! playbook, it returns diagnostics or a model and never panics.

use irp::playbook::resolve::check;
use irp::playbook::source::SourceFile;
use proptest::prelude::*;

const PLAYBOOK: &str = include_str!("../../playbooks/network-change.yaml");

fn lines() -> Vec<&'static str> {
    PLAYBOOK.lines().collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Insert(usize, String),
    Truncate(usize),
    Indent(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = lines().len();
    prop_oneof![
        (0..n).prop_map(Mutation::Delete),
        (0..n).prop_map(Mutation::Duplicate),
        (0..n, 0..n).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (0..n, "[ -~]{0,20}|[:{}\\[\\],&*!|>'\"%@`#-]{1,4}")
            .prop_map(|(a, s)| Mutation::Insert(a, s)),
        (0..PLAYBOOK.len()).prop_map(Mutation::Truncate),
        (0..n, 0..6usize).prop_map(|(a, k)| Mutation::Indent(a, k)),
    ]
}

fn apply(mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = lines().into_iter().map(str::to_owned).collect();
    for m in mutations {
        let n = lines.len().max(1);
        match m {
            Mutation::Delete(i) => {
                if !lines.is_empty() {
                    lines.remove(i % n);
                }
            }
            Mutation::Duplicate(i) => {
                if let Some(l) = lines.get(i % n).cloned() {
                    lines.insert(i % n, l);
                }
            }
            Mutation::Swap(a, b) => {
                if !lines.is_empty() {
                    lines.swap(a % n, b % n);
                }
            }
            Mutation::Insert(i, s) => {
                if let Some(l) = lines.get_mut(i % n) {
                    let at = l
                        .char_indices()
                        .map(|(i, _)| i)
                        .nth(s.len() % (l.chars().count() + 1))
                        .unwrap_or(l.len());
                    l.insert_str(at, s);
                }
            }
            Mutation::Truncate(len) => {
                let mut text = lines.join("\n");
                let mut cut = (*len).min(text.len());
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
                lines = text.lines().map(str::to_owned).collect();
            }
            Mutation::Indent(i, k) => {
                if let Some(l) = lines.get_mut(i % n) {
                    l.insert_str(0, &" ".repeat(*k));
                }
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn mutated_playbooks_never_panic(mutations in prop::collection::vec(mutation(), 1..4)) {
        let text = apply(&mutations);
        let checked = check(&SourceFile::new("mutated.yaml", text.clone()));
        // Every diagnostic points inside the file.
        for d in &checked.diagnostics {
            for l in &d.labels {
                prop_assert!(l.span.start <= text.len() && l.span.end <= text.len(), "{d:?}");
            }
        }
        prop_assert_eq!(checked.playbook.is_some(), checked.errors() == 0);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,300}") {
        let _ = check(&SourceFile::new("random.yaml", text));
    }

    #[test]
    fn random_yaml_shapes_never_panic(text in "(irp: 1\n|id: x\n|title: t\n|steps:\n|  - id: [a-z_]{1,6}\n|    needs: \\[[a-z, ]{0,10}\\]\n|    action: [a-z.]{1,12}\n|    with: \\{[a-z]{1,5}: \"\\{\\{ [a-z. |]{0,20} \\}\\}\"\\}\n|    phase: (detection|recovery|x)\n|  &a [a-z]{1,3}\n|  \\*a\n){1,30}") {
        let _ = check(&SourceFile::new("shapes.yaml", text));
    }
}
