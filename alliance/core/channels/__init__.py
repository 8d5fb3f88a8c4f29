"""Real channels of notifications: SMS through Alibaba Cloud or Tencent Cloud, WeChat template messages.

Each sender is named in settings (``SMS_SENDER``, ``WECHAT_SENDER``) and called by
``alliance.core.notifications.deliver``; the console sender stays the default. The message's kind picks
the provider's template (``kinds.template_for``); receipts mark a delivery delivered or failed
(``receipts``); WeChat sign-in binds a person's OpenID to their account (``binding``, ``wechat_views``).
"""
