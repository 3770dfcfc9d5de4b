"""The page's visitor role, confined to its own identity prefix: the template's policies (the role's inline
policy and each bucket's policy) evaluated by a real IAM evaluator against the requests a visitor could sign
with the role's credentials, their own and everyone else's. The identity id comes in as AWS puts it in the
session's context (`cognito-identity.amazonaws.com:sub`); the evaluator substitutes the policy variable."""
import pytest
from template_values import ACCOUNT, REGION, arn_of, resolve

from pipeline.deploy import template

ME = f"{REGION}:11111111-1111-4111-8111-111111111111"
OTHER = f"{REGION}:22222222-2222-4222-8222-222222222222"
ALLOWED, DENIED = "Allowed", ("ImplicitlyDenied", "ExplicitlyDenied")
WEB_IDENTITY_KEYS = {"cognito-identity.amazonaws.com:sub", "cognito-identity.amazonaws.com:aud",
                     "cognito-identity.amazonaws.com:amr"}


@pytest.fixture(scope="module")
def built():
    return template.build()


def visitor_policy(built) -> dict:
    (inline,) = built["Resources"]["VisitorRole"]["Properties"]["Policies"]
    return resolve(built, inline["PolicyDocument"])


def bucket_policy(built, bucket: str):
    for resource in built["Resources"].values():
        if resource["Type"] == "AWS::S3::BucketPolicy" and resource["Properties"]["Bucket"] == {"Ref": bucket}:
            return resolve(built, resource["Properties"]["PolicyDocument"])
    return None


def case(built, action: str, resource: str, bucket: str | None = None, **context) -> dict:
    return {
        "identityPolicies": [{"name": "visitor", "policy": visitor_policy(built)}],
        **({"resourcePolicy": bucket_policy(built, bucket)} if bucket and bucket_policy(built, bucket) else {}),
        "request": {
            "action": action,
            "principal": f"arn:aws:sts::{ACCOUNT}:assumed-role/{arn_of(built, 'VisitorRole').rsplit('/', 1)[1]}"
                         "/CognitoIdentityCredentials",
            "resource": {"accountId": ACCOUNT, "resource": resource},
            "contextVariables": {"cognito-identity.amazonaws.com:sub": ME,
                                 "cognito-identity.amazonaws.com:amr": ["unauthenticated"],
                                 "aws:SecureTransport": "true", **context},
        },
    }


def s3(built, action: str, bucket: str, key: str, **context) -> dict:
    return case(built, action, f"{arn_of(built, bucket)}/{key}", bucket, **context)


def lam(built, action: str, function: str = "PaintRequestFunction", **context) -> dict:
    return case(built, action, arn_of(built, function), **context)


def scenarios(built):
    """(what, case, expected decision)"""
    # the keys AWS sets for a SigV4-signed call of the function URL: one per action it checks
    url_auth, via_url = {"lambda:FunctionUrlAuthType": "AWS_IAM"}, {"lambda:InvokedViaFunctionUrl": "true"}
    return [
        ("upload my GIF", s3(built, "s3:PutObject", "UploadsBucket", f"uploads/{ME}/cat.gif"), ALLOWED),
        ("upload my style image", s3(built, "s3:PutObject", "UploadsBucket", f"styles/{ME}/style.png"), ALLOWED),
        ("upload my photo", s3(built, "s3:PutObject", "ImagesBucket", f"uploads/photos/{ME}/p.png"), ALLOWED),
        ("abort my multipart upload", s3(built, "s3:AbortMultipartUpload", "UploadsBucket",
                                         f"uploads/{ME}/big.gif"), ALLOWED),
        ("read my painting's progress", s3(built, "s3:GetObject", "ImagesBucket",
                                           f"progress/{ME}/r1/status.json"), ALLOWED),
        ("call the paint URL", lam(built, "lambda:InvokeFunctionUrl", **url_auth), ALLOWED),
        ("the paint URL's InvokeFunction check", lam(built, "lambda:InvokeFunction", **via_url), ALLOWED),
        # another identity's things
        ("overwrite another's upload", s3(built, "s3:PutObject", "UploadsBucket", f"uploads/{OTHER}/cat.gif"),
         DENIED),
        ("read another's upload", s3(built, "s3:GetObject", "UploadsBucket", f"uploads/{OTHER}/cat.gif"), DENIED),
        ("read another's style image", s3(built, "s3:GetObject", "UploadsBucket", f"styles/{OTHER}/style.png"),
         DENIED),
        ("replace another's style image", s3(built, "s3:PutObject", "UploadsBucket",
                                             f"styles/{OTHER}/style.png"), DENIED),
        ("read another's result", s3(built, "s3:GetObject", "ResultsBucket", "jobs/cat-0123/stylized.gif"),
         DENIED),
        ("read another's painting", s3(built, "s3:GetObject", "ImagesBucket", "async-outputs/r2.out"), DENIED),
        ("read another's progress", s3(built, "s3:GetObject", "ImagesBucket", f"progress/{OTHER}/r2/status.json"),
         DENIED),
        ("abort another's upload", s3(built, "s3:AbortMultipartUpload", "UploadsBucket",
                                      f"uploads/{OTHER}/big.gif"), DENIED),
        # writes outside the visitor's prefix
        ("write outside any identity prefix", s3(built, "s3:PutObject", "UploadsBucket", "uploads/cat.gif"), DENIED),
        ("write beside my prefix", s3(built, "s3:PutObject", "UploadsBucket", f"uploads/{ME}-x/cat.gif"), DENIED),
        ("write a result", s3(built, "s3:PutObject", "ResultsBucket", f"jobs/{ME}/stylized.gif"), DENIED),
        ("write an endpoint input", s3(built, "s3:PutObject", "ImagesBucket", "async-inputs/r3.json"), DENIED),
        ("write my own progress", s3(built, "s3:PutObject", "ImagesBucket", f"progress/{ME}/r1/status.json"),
         DENIED),
        ("delete my upload", s3(built, "s3:DeleteObject", "UploadsBucket", f"uploads/{ME}/cat.gif"), DENIED),
        ("my upload over plain HTTP", s3(built, "s3:PutObject", "UploadsBucket", f"uploads/{ME}/cat.gif",
                                         **{"aws:SecureTransport": "false"}), ("ExplicitlyDenied",)),
        # Lambda beyond the paint URL
        ("invoke the paint function directly", lam(built, "lambda:InvokeFunction",
                                                   **{"lambda:InvokedViaFunctionUrl": "false"}), DENIED),
        ("the paint URL without IAM auth", lam(built, "lambda:InvokeFunctionUrl",
                                               **{"lambda:FunctionUrlAuthType": "NONE"}), DENIED),
        ("start an execution myself", lam(built, "lambda:InvokeFunction", "StartExecutionFunction", **via_url),
         DENIED),
    ]


def test_the_visitor_reaches_its_own_prefix_and_nothing_of_anyone_else(built, evaluate):
    cases = scenarios(built)
    decisions = evaluate([c for _, c, _ in cases])
    wrong = []
    for (what, _, expected), outcome in zip(cases, decisions, strict=True):
        assert outcome["errors"] is None, (what, outcome["errors"])  # policies, action and ARN all valid
        assert set(outcome["ignoredContextKeys"]) <= WEB_IDENTITY_KEYS, (what, outcome["ignoredContextKeys"])
        if outcome["decision"] not in ((expected,) if isinstance(expected, str) else expected):
            wrong.append(f"{what}: {outcome['decision']}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_the_evaluator_substitutes_the_identity(built, evaluate):
    """The same request decided for two identities: only the owner of the prefix may write there (so the
    allow above comes from the policy variable, not from a pattern that matches any identity)."""
    mine = s3(built, "s3:PutObject", "UploadsBucket", f"uploads/{ME}/cat.gif")
    theirs = s3(built, "s3:PutObject", "UploadsBucket", f"uploads/{ME}/cat.gif",
                **{"cognito-identity.amazonaws.com:sub": OTHER})
    assert [d["decision"] for d in evaluate([mine, theirs])] == ["Allowed", "ImplicitlyDenied"]
