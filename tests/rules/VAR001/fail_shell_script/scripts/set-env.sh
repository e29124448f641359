#!/usr/bin/env bash
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" \
  --variable EMAIL_USERNAME apikey \
  --variable AEM_PROXY_HOST proxy.example.com \
  --secret EMAIL_PASSWORD "$EMAIL_PASSWORD"
