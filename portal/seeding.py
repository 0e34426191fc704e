import click


@click.command("seed")
@click.option("--if-empty", is_flag=True)
def seed_command(if_empty):
    """Load seeds/."""


@click.command("demo-accounts")
def demo_accounts_command():
    """Print the demo accounts."""
