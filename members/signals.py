"""API tokens end when their owner's password changes (by the person, an admin or a reset)
or the account is deactivated: compared on every save of a user that may touch either."""

from django.db.models.signals import post_save, pre_save
from rest_framework.authtoken.models import Token


def _remember_credentials(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._tokens_revoked = False
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    instance._tokens_revoked = old["password"] != instance.password or (old["is_active"] and not instance.is_active)


def _revoke_tokens(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, "_tokens_revoked", False):
        return
    Token.objects.filter(user_id=instance.pk).delete()
    instance._tokens_revoked = False


def connect(user_model) -> None:
    pre_save.connect(_remember_credentials, sender=user_model, dispatch_uid="members.tokens.remember")
    post_save.connect(_revoke_tokens, sender=user_model, dispatch_uid="members.tokens.revoke")
