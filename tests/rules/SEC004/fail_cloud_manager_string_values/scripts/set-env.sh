#!/usr/bin/env bash
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" \
  --variable REDIS_URL "rediss://default:Redis-Pw-8@cache.example.com:6380" \
  --variable CACHE_TTL 300
