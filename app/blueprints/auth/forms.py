from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[InputRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 10 characters",
        validators=[InputRequired("Enter a new password"), Length(max=200)],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Confirm your new password"), EqualTo("password", "The passwords do not match")],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class AcceptInvitationForm(FlaskForm):
    name = StringField("Full name", widget=GovTextInput(), validators=[Length(max=200)])
    password = PasswordField(
        "Choose a password",
        widget=GovPasswordInput(),
        description="At least 10 characters",
        validators=[Length(max=200)],
    )
    submit = SubmitField("Accept invitation", widget=GovSubmitInput())


class SignOutEverywhereForm(FlaskForm):
    """A button: its CSRF token is all it carries."""
