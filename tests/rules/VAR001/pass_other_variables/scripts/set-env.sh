#!/usr/bin/env bash
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" \
  --variable EMAIL_USERNAME apikey \
  --secret EMAIL_PASSWORD "$EMAIL_PASSWORD"
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" --delete AEM_PROXY_HOST
