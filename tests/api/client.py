"""A JSON client for /api/v1 that authenticates with a real bearer token made by `api_token_create`."""

import json

from django.test import Client

API = "/api/v1"


class ApiClient:
    def __init__(self, key: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def _send(self, method: str, path: str, body):
        return getattr(self.client, method)(
            API + path, data=json.dumps(body), content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, body or {})

    def patch(self, path: str, body):
        return self._send("patch", path, body)

    def put(self, path: str, body):
        return self._send("put", path, body)
