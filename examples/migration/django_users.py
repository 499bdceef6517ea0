#!/usr/bin/env python3
"""Turns a Django `manage.py dumpdata auth.user` file into the gateway's
MicroBase import format (one JSON document per line), keeping each user's
password hash as Django stored it (Django's default pbkdf2_sha256$..., or
argon2$argon2id$... from its Argon2PasswordHasher).

    python3 manage.py dumpdata auth.user > users.json
    python3 django_users.py users.json > customers.jsonl
    customer-gateway import --from microbase --db gateway.db customers.jsonl

Ids become "django-<pk>"; is_active maps to ACTIVE/INACTIVE; date_joined is
the creation time (dumped with USE_TZ = True, so it carries its zone). Users
without an email are skipped (both APIs require one), each named on stderr.
An unusable password ("!..." from set_unusable_password) is left out, so the
customer exists but cannot log in, as in Django. Other hashers' forms the
gateway cannot verify (bcrypt_sha256$, md5$, sha1$) are refused by the
import, record by record, without stopping it.
"""
import json
import sys


def convert(users, out, err):
    for user in users:
        if user.get("model") != "auth.user":
            continue
        f = user["fields"]
        if not f.get("email"):
            print(f"skipped user {user['pk']} ({f.get('username')}): no email", file=err)
            continue
        record = {
            "_id": f"django-{user['pk']}",
            "email": f["email"],
            "firstName": f.get("first_name") or "",
            "lastName": f.get("last_name") or "",
            "status": "ACTIVE" if f.get("is_active", True) else "INACTIVE",
        }
        if f.get("password") and not f["password"].startswith("!"):
            record["password"] = f["password"]
        if f.get("date_joined"):
            record["createdAt"] = {"$date": f["date_joined"]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 else sys.stdin as source:
        convert(json.load(source), sys.stdout, sys.stderr)
