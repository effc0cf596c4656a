"""Django's ``ModelBackend`` with the user read every signed-in request makes done by one
prepared query (``core.prepared``); signing in, permissions and checks are Django's own."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import router


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        from learningpaths.core.prepared import row_get

        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        fields = tuple(f.attname for f in model._meta.concrete_fields)
        row = row_get(model, columns=fields, where=(model._meta.pk.attname,), params=(pk,))
        if row is None:
            return None
        user = model.from_db(router.db_for_read(model), list(fields), list(row))
        return user if self.user_can_authenticate(user) else None
