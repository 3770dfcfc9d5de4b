"""S3 buckets and the page's CloudFront distribution.

- Uploads: GIFs under uploads/<identity>/ (EventBridge starts the pipeline) and style images under
  styles/<identity>/. Image mode has its own bucket (Images) so that photos never match the GIF rule.
- Images: image mode's uploads/photos/<identity>/, async-inputs/, progress/<identity>/ and the endpoint's
  async-outputs/ and async-failures/ (prefixes as lambdas/paint_request/config.py and pipeline/endpoint.py).
- Results: jobs/<execution>/ written by the processing job.
- Website: the built page, private, read by CloudFront through an origin access control.
Data buckets are retained when the stack is deleted (`nst destroy --delete-data` empties and deletes them).
"""
from __future__ import annotations

from pipeline.deploy.cfn import NO_VALUE, Json, allow, att, bucket_arn, if_, policy, ref, resource, sub
from pipeline.endpoint import FAILURE_PREFIX, OUTPUT_PREFIX

UPLOAD_PREFIX = "uploads/"
STYLE_PREFIX = "styles/"
RESULT_PREFIX = "jobs/"
PHOTO_PREFIX = "uploads/photos/"
ASYNC_INPUT_PREFIX = "async-inputs/"
PROGRESS_PREFIX = "progress/"
DATA_BUCKETS = ("UploadsBucket", "ImagesBucket", "ResultsBucket")
# AWS managed cache policy "CachingOptimized"; config.json is uploaded with Cache-Control: no-cache.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
# The page's origin: its own domain when PageDomain is set (with an ACM certificate: TLS 1.2 minimum), else
# CloudFront's (whose shared *.cloudfront.net certificate CloudFront serves with TLSv1 as its floor).
PAGE_ORIGIN = if_("HasPageDomain", sub("https://${PageDomain}"), sub("https://${Distribution.DomainName}"))
MIN_TLS = "TLSv1.2_2021"


def _expire(rule_id: str, prefix: str, days: Json) -> Json:
    return {"Id": rule_id, "Status": "Enabled", "Prefix": prefix, "ExpirationInDays": days,
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}


def _bucket(lifecycle: list[Json], cors: list[Json] | None = None, retain: bool = True, **extra) -> Json:
    properties: Json = {
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        **extra,
    }
    if lifecycle:
        properties["LifecycleConfiguration"] = {"Rules": lifecycle}
    if cors:
        properties["CorsConfiguration"] = {"CorsRules": cors}
    policy_ = "Retain" if retain else "Delete"
    return resource("AWS::S3::Bucket", properties, DeletionPolicy=policy_, UpdateReplacePolicy=policy_)


# The page uploads with @aws-sdk/lib-storage, which goes multipart above 5 MiB: CreateMultipartUpload and
# CompleteMultipartUpload are POSTs, UploadPart a PUT (its ETag read back for the completion), and
# AbortMultipartUpload a DELETE when a part fails.
UPLOAD_METHODS = ["PUT", "POST", "DELETE"]


def _page_cors(methods: list[str]) -> list[Json]:
    # Uploads as above; the images bucket also GETs presigned progress objects.
    return [{"AllowedOrigins": [PAGE_ORIGIN, if_("HasExtraOrigin", ref("ExtraAllowedOrigin"), NO_VALUE)],
             "AllowedMethods": methods, "AllowedHeaders": ["*"], "ExposedHeaders": ["ETag"], "MaxAge": 3000}]


def _tls_only(bucket: str, *extra_statements: Json) -> Json:
    """Bucket policy: deny plain HTTP (presigned links and the SDK use HTTPS), plus extra grants."""
    deny = {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [bucket_arn(bucket), bucket_arn(bucket, "*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    return resource("AWS::S3::BucketPolicy", {"Bucket": ref(bucket),
                                              "PolicyDocument": policy(deny, *extra_statements)})


def resources() -> dict[str, Json]:
    upload_days, result_days = ref("UploadRetentionDays"), ref("ResultRetentionDays")
    website_read = allow("s3:GetObject", bucket_arn("WebsiteBucket", "*"), sid="CloudFrontReadsPage",
                         condition={"StringEquals": {"AWS:SourceArn": sub(
                             "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}")}})
    website_read["Principal"] = {"Service": "cloudfront.amazonaws.com"}
    return {
        "UploadsBucket": _bucket(
            [_expire("ExpireUploads", UPLOAD_PREFIX, upload_days), _expire("ExpireStyles", STYLE_PREFIX, upload_days)],
            _page_cors(UPLOAD_METHODS),
            # S3 → EventBridge "Object Created" events, matched by the rule in functions.py.
            NotificationConfiguration={"EventBridgeConfiguration": {"EventBridgeEnabled": True}}),
        "ImagesBucket": _bucket(
            [_expire("ExpirePhotos", PHOTO_PREFIX, upload_days),
             _expire("ExpireInputs", ASYNC_INPUT_PREFIX, upload_days),
             _expire("ExpireProgress", PROGRESS_PREFIX, upload_days),
             _expire("ExpireOutputs", OUTPUT_PREFIX, result_days),
             _expire("ExpireFailures", FAILURE_PREFIX, result_days)],
            _page_cors(UPLOAD_METHODS + ["GET"])),
        "ResultsBucket": _bucket([_expire("ExpireResults", RESULT_PREFIX, result_days)]),
        "WebsiteBucket": _bucket([], retain=False),
        "UploadsBucketPolicy": _tls_only("UploadsBucket"),
        "ImagesBucketPolicy": _tls_only("ImagesBucket"),
        "ResultsBucketPolicy": _tls_only("ResultsBucket"),
        "WebsiteBucketPolicy": _tls_only("WebsiteBucket", website_read),
        "PageOriginAccessControl": resource("AWS::CloudFront::OriginAccessControl", {
            "OriginAccessControlConfig": {"Name": sub("${AWS::StackName}-page"), "OriginAccessControlOriginType": "s3",
                                          "SigningBehavior": "always", "SigningProtocol": "sigv4"}}),
        "Distribution": resource("AWS::CloudFront::Distribution", {"DistributionConfig": {
            "Enabled": True, "Comment": sub("${AWS::StackName} page"), "DefaultRootObject": "index.html",
            "HttpVersion": "http2and3", "PriceClass": "PriceClass_100",
            "Aliases": if_("HasPageDomain", [ref("PageDomain")], NO_VALUE),
            "ViewerCertificate": if_("HasPageDomain", {
                "AcmCertificateArn": ref("PageCertificateArn"), "SslSupportMethod": "sni-only",
                "MinimumProtocolVersion": MIN_TLS}, {"CloudFrontDefaultCertificate": True}),
            "Origins": [{"Id": "page", "DomainName": att("WebsiteBucket", "RegionalDomainName"),
                         "S3OriginConfig": {"OriginAccessIdentity": ""},
                         "OriginAccessControlId": att("PageOriginAccessControl", "Id")}],
            "DefaultCacheBehavior": {"TargetOriginId": "page", "ViewerProtocolPolicy": "redirect-to-https",
                                     "AllowedMethods": ["GET", "HEAD"], "Compress": True,
                                     "CachePolicyId": CACHING_OPTIMIZED}}}),
    }
