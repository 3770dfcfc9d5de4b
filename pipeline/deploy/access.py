"""The page's AWS identity: a Cognito identity pool for unauthenticated visitors, and the one role they get.

Each visitor can write only under their own identity id (`${cognito-identity.amazonaws.com:sub}`, an IAM
policy variable: joined, not Fn::Sub'd), read only their own progress objects, and reach image mode only
through its function URL with IAM auth. Results come back as presigned URLs made by the functions.
"""
from __future__ import annotations

from pipeline.deploy.cfn import Json, allow, att, bucket_arn, policy, ref, resource
from pipeline.deploy.storage import PHOTO_PREFIX, PROGRESS_PREFIX, STYLE_PREFIX, UPLOAD_PREFIX

IDENTITY = "${cognito-identity.amazonaws.com:sub}"


def visitor_statements() -> list[Json]:
    own_uploads = [bucket_arn("UploadsBucket", f"{UPLOAD_PREFIX}{IDENTITY}/*"),
                   bucket_arn("UploadsBucket", f"{STYLE_PREFIX}{IDENTITY}/*"),
                   bucket_arn("ImagesBucket", f"{PHOTO_PREFIX}{IDENTITY}/*")]
    return [
        # s3:PutObject also authorises CreateMultipartUpload, UploadPart and CompleteMultipartUpload; the
        # page's SDK aborts a failed multipart upload, which needs its own action.
        allow(["s3:AbortMultipartUpload", "s3:PutObject"], own_uploads),
        allow("s3:GetObject", bucket_arn("ImagesBucket", f"{PROGRESS_PREFIX}{IDENTITY}/*")),
        allow("lambda:InvokeFunctionUrl", att("PaintRequestFunction", "Arn"),
              condition={"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}),
        # Function URLs created since October 2025 also check lambda:InvokeFunction. Scoped to the one
        # function and to calls through its URL, so a visitor's credentials cannot use the Invoke API.
        allow("lambda:InvokeFunction", att("PaintRequestFunction", "Arn"),
              condition={"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}),
    ]


def resources() -> dict[str, Json]:
    trust = {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
             "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": ref("IdentityPool")},
                           "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"}}}
    return {
        "IdentityPool": resource("AWS::Cognito::IdentityPool", {"AllowUnauthenticatedIdentities": True,
                                                               "AllowClassicFlow": False}),
        "VisitorRole": resource("AWS::IAM::Role", {
            "AssumeRolePolicyDocument": policy(trust),
            "Policies": [{"PolicyName": "visitor", "PolicyDocument": policy(*visitor_statements())}]}),
        "IdentityPoolRoles": resource("AWS::Cognito::IdentityPoolRoleAttachment", {
            "IdentityPoolId": ref("IdentityPool"), "Roles": {"unauthenticated": att("VisitorRole", "Arn")}}),
    }
