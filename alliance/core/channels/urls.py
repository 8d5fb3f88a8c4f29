from django.urls import path

from alliance.core.channels import views, wechat_views

app_name = "channels"

urlpatterns = [
    path("sms/receipts/<slug:provider>/<str:token>/", views.sms_receipt, name="sms-receipt"),
    path("wechat/login/", wechat_views.wechat_login, name="wechat-login"),
    path("wechat/callback/", wechat_views.wechat_callback, name="wechat-callback"),
    path("wechat/unbind/", wechat_views.wechat_unbind, name="wechat-unbind"),
]
