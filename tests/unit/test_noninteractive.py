"""The non-interactive lint: every rule, step splitting, and the rules file schema."""

from __future__ import annotations

import pytest

from applygate.core.command_line import split_steps
from applygate.core.noninteractive import DEFAULT_RULES, Rule, RulesError, lint, parse_rules

# (step, the rule it breaks or None when it never prompts)
LINT_CASES = [
    ("terraform apply", "terraform apply"),
    ("terraform apply -auto-approve", None),
    ("terraform apply --auto-approve", None),
    ("terraform apply -auto-approve=false", "terraform apply"),
    ("terraform -chdir=prod apply -input=false -auto-approve", None),
    ("terraform apply tfplan", None),  # a saved plan never prompts
    ("terraform apply -no-color plan.out", None),
    ("terraform apply -var region=eu", "terraform apply"),  # the value of -var is not a plan
    ("terraform apply -var-file prod.tfvars", "terraform apply"),
    ("tofu apply", "terraform apply"),
    ("tofu apply -auto-approve", None),
    ("terragrunt apply", "terraform apply"),
    ("terragrunt run-all apply --auto-approve", None),
    ("/usr/local/bin/terraform apply", "terraform apply"),
    ("TF_LOG=debug terraform apply", "terraform apply"),
    ("sudo -E terraform apply", "terraform apply"),
    ("sudo -u deploy terraform apply", "terraform apply"),
    ("env -i PATH=/bin nice -n 5 terraform apply", "terraform apply"),
    ("terraform destroy", "terraform destroy"),
    ("terraform destroy tfplan", "terraform destroy"),  # destroy always needs the flag
    ("terraform destroy -auto-approve", None),
    ("terraform plan -out tfplan", None),
    ("terraform init", None),
    ("gcloud run deploy api --image x", "gcloud"),
    ("gcloud run deploy api --quiet", None),
    ("gcloud -q compute instances delete vm", None),
    ("pulumi up", "pulumi up"),
    ("pulumi up --yes", None),
    ("pulumi up -y", None),
    ("pulumi destroy", "pulumi destroy"),
    ("pulumi destroy --yes", None),
    ("pulumi preview", None),
    ("az group delete --name rg", "az delete"),
    ("az group delete --name rg --yes", None),
    ("az group delete -n rg -y", None),
    ("az group create --name rg", None),
    ("apt-get install jq", "apt-get install"),
    ("apt-get install -y jq", None),
    ("apt-get -qy install jq", None),
    ("apt-get remove jq", "apt-get remove"),
    ("apt-get remove --assume-yes jq", None),
    ("apt-get update", None),
    ("kubectl apply -f deploy.yaml", None),
    ("kubectl delete namespace old", None),
    ("git push origin main", None),
    ("cd infra && terraform apply", "terraform apply"),
    ("terraform apply -auto-approve | tee out.log", None),
    ("echo ok; pulumi up", "pulumi up"),
    ("bash -c 'cd infra && terraform apply'", "terraform apply"),
    ("sh -euc 'terraform apply'", "terraform apply"),
    ("bash -c 'terraform apply -auto-approve'", None),
    # a redirection and its target are no arguments: "log" is no saved plan file
    ("terraform apply 2>&1 | tee apply.log", "terraform apply"),
    ("terraform apply > apply.log", "terraform apply"),
    ("terraform apply >> apply.log 2> err.log", "terraform apply"),
    ("terraform apply < /dev/null", "terraform apply"),
    ("terraform apply &> apply.log", "terraform apply"),
    ("terraform apply tfplan > apply.log 2>&1", None),
    ("terraform apply -auto-approve 2>&1 | tee apply.log", None),
    # wrappers and shell keywords in front of the command
    ("timeout 30m pulumi up", "pulumi up"),
    ("timeout -s KILL -k 10s 30m terraform apply -auto-approve", None),
    ("stdbuf -oL terraform apply", "terraform apply"),
    ("xargs -n 1 terraform apply", "terraform apply"),
    ("ionice -c 3 doas -u deploy pulumi destroy", "pulumi destroy"),
    ("if az group delete -n rg; then echo gone; fi", "az delete"),
    ("! terraform apply", "terraform apply"),
    ("{ terraform apply; }", "terraform apply"),
    ("for d in a b; do terraform -chdir=$d destroy; done", "terraform destroy"),
    ("while true; do pulumi up --yes; done", None),
    # command substitutions are commands too
    ("echo `terraform apply`", "terraform apply"),
    ('echo "$(pulumi up)"', "pulumi up"),
    ('out="$(az group delete -n rg --yes)"', None),
    # punctuation shlex glues together, and process substitution
    ("terraform apply > >(tee apply.log) 2>&1", "terraform apply"),
    ("terraform apply 2> >(tee err.log >&2)", "terraform apply"),
    ("terraform apply||(echo failed)", "terraform apply"),
    ("(cd infra)&&terraform apply", "terraform apply"),
    ("true;(terraform apply)", "terraform apply"),
    ("terraform apply tfplan > >(tee apply.log)", None),
    ("x=$((1<<2)); echo $x", None),  # arithmetic, not a here-document
    # an option's value is no saved plan file, with one dash or two; the plan file comes last
    ("terraform apply --var-file prod.tfvars", "terraform apply"),
    ("terraform apply --target module.a", "terraform apply"),
    ("tofu apply -exclude module.x", "terraform apply"),
    ("terragrunt apply --terragrunt-working-dir infra", "terraform apply"),
    ("terraform apply -input=false tfplan", None),
    ("terraform apply tfplan -no-color", "terraform apply"),  # terraform refuses it too
    # more wrappers and more commands that ask
    ("time -p terraform apply", "terraform apply"),
    ("eval terraform apply", "terraform apply"),
    ("flock -w 10 /tmp/tf.lock terraform apply", "terraform apply"),
    ("f(){ terraform apply; }; f", "terraform apply"),
    ("pulumi refresh", "pulumi refresh"),
    ("pulumi refresh --yes", None),
    ("apt install jq", "apt-get install"),
    ("apt-get upgrade", "apt-get upgrade"),
    ("apt-get purge -y jq", None),
    ("apt-get autoremove", "apt-get autoremove"),
    ("apt list --installed", None),
]


@pytest.mark.parametrize(("step", "broken"), LINT_CASES, ids=[c[0] for c in LINT_CASES])
def test_lint_rule_table(step: str, broken: str | None) -> None:
    findings = lint([step])
    assert [finding.rule for finding in findings] == ([broken] if broken else [])


def test_a_finding_says_which_flag_to_add() -> None:
    (finding,) = lint(["gcloud run deploy api"])
    assert finding.message == "'gcloud run deploy api' may prompt (gcloud): add --quiet or -q"


def test_unbalanced_quotes_are_a_finding_not_a_crash() -> None:
    (finding,) = lint(["terraform apply -var 'x=1"])
    assert "unbalanced quoting" in finding.message


@pytest.mark.parametrize(
    "step",
    ["kubectl apply -f - <<EOF", "cat <<-'EOF' > values.yaml", "bash -c 'psql <<SQL'"],
)
def test_a_here_document_is_a_finding(step: str) -> None:
    """Its body lines would each run as a step, after the command ran with an empty document."""
    (finding,) = lint(split_steps(f"{step}\nkind: Namespace\nEOF\n")[:1])
    assert "here-document" in finding.message


def test_a_here_string_and_quoted_angles_are_not_here_documents() -> None:
    assert lint(['kubectl apply -f - <<<"$MANIFEST"', 'echo "<<EOF"']) == ()


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("", ()),
        ("a\nb\n", ("a", "b")),
        ("  a  \n\n# comment\nb", ("a", "b")),
        ("terraform apply \\\n  -auto-approve\nnext", ("terraform apply   -auto-approve", "next")),
        ("one \\\ntwo \\\nthree", ("one two three",)),
        ("dangling \\", ("dangling",)),
        # an escaped backslash at the end does not continue: the next line is its own step
        ("echo C:\\\\\nterraform destroy", ("echo C:\\\\", "terraform destroy")),
        ("a \\\\\\\nb", ("a \\\\b",)),
    ],
)
def test_split_steps(text: str, steps: tuple[str, ...]) -> None:
    assert split_steps(text) == steps


def test_extra_rules_add_to_the_defaults() -> None:
    rules = parse_rules(
        "rules:\n"
        "  - name: helm uninstall\n"
        "    program: helm\n"
        "    subcommand: [uninstall]\n"
        "    require-any: [--wait, --no-hooks]\n"
        "  - program: [kubectl]\n"
        "    subcommand: delete\n"
        "    require-any: [--wait=false]\n",
        "rules.yml",
    )
    assert rules[0] == Rule("helm uninstall", ("helm",), ("uninstall",), ("--wait", "--no-hooks"))
    assert rules[1].name == "kubectl delete"
    table = (*DEFAULT_RULES, *rules)
    assert [f.rule for f in lint(["helm uninstall app"], table)] == ["helm uninstall"]
    assert lint(["helm uninstall app --wait"], table) == ()
    assert [f.rule for f in lint(["kubectl delete ns x"], table)] == ["kubectl delete"]


def test_an_empty_rules_file_adds_nothing() -> None:
    assert parse_rules("", "rules.yml") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "rules.yml: not valid YAML"),
        ("rules: []\nrules: []", "rules.yml: not valid YAML (duplicate key 'rules'"),
        ("- program: x", "expected a mapping with one key, 'rules'"),
        ("rules: {}", "'rules' must be a list"),
        ("rules: [x]", "rules[0]: must be a mapping"),
        ("rules:\n  - require-any: []", "rules[0]: 'program' is required"),
        ("rules:\n  - program: x", "rules[0]: 'require-any' is required"),
        ("rules:\n  - {program: x, require-any: [], flag: y}", "unknown key 'flag'"),
        ("rules:\n  - {program: [], require-any: []}", "rules[0].program: must not be empty"),
        ("rules:\n  - {program: 'a b', require-any: []}", "program: must be a word"),
        ("rules:\n  - {program: x, require-any: [wait]}", "flags must start with '-'"),
        ("rules:\n  - {program: x, require-any: 3}", "require-any: must be a word"),
        ("rules:\n  - {program: x, require-any: [], name: ''}", "name: must be a non-empty"),
        (
            "rules:\n  - {program: x, require-any: [], saved-plan-exempt: 1}",
            "saved-plan-exempt: must be true or false",
        ),
    ],
)
def test_bad_rules_name_the_file_and_the_key(text: str, message: str) -> None:
    with pytest.raises(RulesError, match=r"^rules\.yml") as raised:
        parse_rules(text, "rules.yml")
    assert message in str(raised.value)
